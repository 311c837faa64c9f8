using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Tests;

public sealed class GroundTruthCacheTests
{
    private static Dataset Sample(float shift = 0) => new("sample", 2,
        [.. Enumerable.Range(0, 20).Select(i => new float[] { i + shift, -i })],
        [[0.5f, 0], [7, -7], [19, -19]]);

    private static int[][] TruthFor(Dataset d) =>
        ExactSearch.TopK(d.Base, d.Queries, 4, DistanceKind.Euclidean, threads: 1, TestContext.Current.CancellationToken);

    [Fact]
    public void Saved_lists_load_back_unchanged()
    {
        using var dir = new TempDirectory();
        var cache = new GroundTruthCache(Path.Combine(dir.Path, "nested"));
        var dataset = Sample();
        var truth = TruthFor(dataset);

        Assert.Null(cache.TryLoad(dataset, DistanceKind.Euclidean, 4));
        cache.Save(dataset, DistanceKind.Euclidean, 4, truth);

        Assert.Equal(truth, cache.TryLoad(dataset, DistanceKind.Euclidean, 4));
        var name = Path.GetFileName(cache.PathFor(dataset, DistanceKind.Euclidean, 4));
        Assert.StartsWith("sample-n20-q3-euclidean-k4-", name, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(cache.Directory));
    }

    [Fact]
    public void Other_distance_k_or_content_is_a_miss()
    {
        using var dir = new TempDirectory();
        var cache = new GroundTruthCache(dir.Path);
        var dataset = Sample();
        cache.Save(dataset, DistanceKind.Euclidean, 4, TruthFor(dataset));

        Assert.Null(cache.TryLoad(dataset, DistanceKind.Cosine, 4));
        Assert.Null(cache.TryLoad(dataset, DistanceKind.Euclidean, 3));
        Assert.Null(cache.TryLoad(Sample(shift: 0.25f), DistanceKind.Euclidean, 4));
    }

    [Fact]
    public void Truncated_or_out_of_range_file_is_a_miss()
    {
        using var dir = new TempDirectory();
        var cache = new GroundTruthCache(dir.Path);
        var dataset = Sample();
        var truth = TruthFor(dataset);
        cache.Save(dataset, DistanceKind.Euclidean, 4, truth);
        var path = cache.PathFor(dataset, DistanceKind.Euclidean, 4);
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^1]);
        Assert.Null(cache.TryLoad(dataset, DistanceKind.Euclidean, 4));

        var bad = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(bad.AsSpan(bad.Length - 4), 20); // index 20 of a 20-vector base
        File.WriteAllBytes(path, bad);
        Assert.Null(cache.TryLoad(dataset, DistanceKind.Euclidean, 4));
    }
}
