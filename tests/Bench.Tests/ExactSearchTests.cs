using Vectord.Bench.Common;
using Vectord.Hnsw;

namespace Vectord.Bench.Tests;

public sealed class ExactSearchTests
{
    private static float[][] RandomVectors(Random rng, int count, int dim, Func<Random, float> next) =>
        [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dim).Select(_ => next(rng)).ToArray())];

    /// <summary>Reference answer: full sort by (distance, index) in double precision.</summary>
    private static int[] Naive(float[][] baseVectors, float[] query, int k, Func<float[], float[], double> distance) =>
        [.. Enumerable.Range(0, baseVectors.Length)
            .OrderBy(i => distance(query, baseVectors[i]))
            .ThenBy(i => i)
            .Take(k)];

    private static double SquaredL2(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    private static double CosineDistance(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return 1 - dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Euclidean_top_k_matches_a_full_sort_on_pixel_like_data()
    {
        // Small integer components: float sums are exact, so even ties must come out as the reference orders them.
        var rng = new Random(7);
        var baseVectors = RandomVectors(rng, 700, 24, r => r.Next(0, 4));
        var queries = RandomVectors(rng, 13, 24, r => r.Next(0, 4)); // not a multiple of the query block

        var truth = ExactSearch.TopK(baseVectors, queries, 10, DistanceKind.Euclidean, threads: 2, TestContext.Current.CancellationToken);

        Assert.Equal(13, truth.Length);
        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(Naive(baseVectors, queries[q], 10, SquaredL2), truth[q]);
            Assert.Equal(truth[q], ExactSearch.TopK(baseVectors, queries[q], 10, DistanceKind.Euclidean));
        }
    }

    [Fact]
    public void Cosine_top_k_matches_a_full_sort_after_preparation()
    {
        var rng = new Random(11);
        var baseVectors = RandomVectors(rng, 500, 16, r => (float)(r.NextDouble() * 2 - 1));
        var queries = RandomVectors(rng, 9, 16, r => (float)(r.NextDouble() * 2 - 1));

        var truth = ExactSearch.TopK(
            ExactSearch.Prepare(baseVectors, DistanceKind.Cosine, "base"),
            ExactSearch.Prepare(queries, DistanceKind.Cosine, "query"),
            10, DistanceKind.Cosine, threads: 2, TestContext.Current.CancellationToken);

        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(Naive(baseVectors, queries[q], 10, CosineDistance), truth[q]);
        }
    }

    [Fact]
    public void Equal_distances_keep_the_lower_index_first()
    {
        float[][] baseVectors = [[5, 5], [1, 0], [0, 1], [1, 0], [-1, 0]];
        float[][] queries = [[0, 0]];

        var truth = ExactSearch.TopK(baseVectors, queries, 3, DistanceKind.Euclidean, threads: 1, TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], truth[0]);
    }

    [Fact]
    public void Fewer_base_vectors_than_k_returns_them_all_sorted()
    {
        float[][] baseVectors = [[3], [1], [2]];

        var single = ExactSearch.TopK(baseVectors, [0f], 10, DistanceKind.Euclidean);

        Assert.Equal([1, 2, 0], single);
    }

    [Fact]
    public void Prepare_normalises_copies_under_cosine_only()
    {
        float[][] vectors = [[3, 4]];

        var cosine = ExactSearch.Prepare(vectors, DistanceKind.Cosine, "base");
        var euclidean = ExactSearch.Prepare(vectors, DistanceKind.Euclidean, "base");

        Assert.Equal(0.6f, cosine[0][0], 6);
        Assert.Equal(0.8f, cosine[0][1], 6);
        Assert.Equal([3f, 4f], vectors[0]);
        Assert.Same(vectors, euclidean);
    }

    [Fact]
    public void Zero_vector_under_cosine_is_reported_with_its_index()
    {
        float[][] vectors = [[1, 0], [0, 0]];

        var ex = Assert.Throws<BenchException>(() => ExactSearch.Prepare(vectors, DistanceKind.Cosine, "base"));

        Assert.Contains("base vector 1", ex.Message, StringComparison.Ordinal);
    }
}
