namespace Vectord.Hnsw.Tests;

/// <summary>The numeric edges of the vector rule: tiny cosine vectors become proper unit vectors, norms past the bound
/// are refused, and between vectors within it no distance overflows, whatever the distance and quantization.</summary>
public sealed class VectorBoundsTests
{
    [Fact]
    public void ASubnormalCosineVectorIsStoredAsAUnitVector()
    {
        var index = new HnswIndex(new HnswOptions(4, DistanceKind.Cosine));
        index.AddBatch(
        [
            new VectorItem("tiny", [float.Epsilon, float.Epsilon, 0, 0]),
            new VectorItem("small", [0, 1e-40f, 0, 0]),
            new VectorItem("other", [0, 0, 1, 0]),
        ]);
        Assert.True(index.TryGet("tiny", out VectorItem? tiny));
        Assert.Equal(MathF.Sqrt(0.5f), tiny.Vector[0], 1e-6f);
        Assert.Equal(MathF.Sqrt(0.5f), tiny.Vector[1], 1e-6f);
        Assert.True(index.TryGet("small", out VectorItem? small));
        Assert.Equal([0f, 1f, 0f, 0f], small.Vector);
        SearchHit[] hits = index.Search([1, 1, 0, 0], 3);
        Assert.Equal("tiny", hits[0].Id);
        Assert.Equal(0f, hits[0].Distance, 1e-6f);
        Assert.All(hits, h => Assert.True(float.IsFinite(h.Distance)));
    }

    [Theory]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Dot)]
    public void ANormBeyondTheBoundIsRefused(DistanceKind kind)
    {
        var index = new HnswIndex(new HnswOptions(4, kind));
        index.AddBatch([new VectorItem("a", [1, 2, 3, 4])]);
        var e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("b", [1, 1, 1, 1]), new VectorItem("huge", [3e38f, 0, 0, 0])]));
        Assert.StartsWith("items[1]: norm 3E+38 is beyond 1e18", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("spread", [6e17f, 6e17f, 6e17f, 0])]));
        Assert.StartsWith("items[0]: norm 1.04E+18 is beyond 1e18", e.Message, StringComparison.Ordinal);
        Assert.Contains("is beyond 1e18", Assert.Throws<ArgumentException>(() => index.Search([0, 0, -2e18f, 0], 1)).Message, StringComparison.Ordinal);
        Assert.Equal(["a"], index.GetIds());
    }

    public static TheoryData<DistanceKind, QuantizationKind> Spaces() => new()
    {
        { DistanceKind.Cosine, QuantizationKind.None },
        { DistanceKind.Euclidean, QuantizationKind.None },
        { DistanceKind.Dot, QuantizationKind.None },
        { DistanceKind.Cosine, QuantizationKind.Int8 },
        { DistanceKind.Euclidean, QuantizationKind.Int8 },
        { DistanceKind.Dot, QuantizationKind.Int8 },
    };

    /// <summary>Vectors at the bound pointing every way (single spikes of either sign, dense ones), and queries at it:
    /// every distance a search reports is finite.</summary>
    [Theory]
    [MemberData(nameof(Spaces))]
    public void DistancesBetweenVectorsAtTheBoundAreFinite(DistanceKind kind, QuantizationKind quantization)
    {
        const int Dim = 16;
        const double Norm = 0.999e18;
        var random = new Random(5);
        var vectors = new float[400][];
        for (int n = 0; n < vectors.Length; n++)
        {
            var v = new double[Dim];
            if (n % 4 == 0)
            {
                v[n / 4 % Dim] = n % 8 == 0 ? 1 : -1;
            }
            else
            {
                for (int i = 0; i < Dim; i++)
                {
                    v[i] = random.NextDouble() - 0.5;
                }
            }
            double scale = Norm / Math.Sqrt(v.Sum(x => x * x));
            vectors[n] = v.Select(x => (float)(x * scale)).ToArray();
        }
        var index = new HnswIndex(new HnswOptions(Dim, kind, Quantization: quantization));
        index.AddBatch(vectors.Select((v, i) => new VectorItem($"v{i}", v)).ToArray());
        Assert.Equal(quantization == QuantizationKind.Int8, index.IsQuantized);
        for (int q = 0; q < vectors.Length; q += 7)
        {
            float[] query = q % 2 == 0 ? vectors[q] : vectors[q].Select(x => -x).ToArray();
            SearchHit[] hits = index.Search(query, 50, ef: 100);
            Assert.Equal(50, hits.Length);
            Assert.All(hits, h => Assert.True(float.IsFinite(h.Distance), $"{h.Id}: {h.Distance}"));
        }
        float[] spike = new float[Dim];
        spike[0] = (float)Norm;
        float[] opposite = new float[Dim];
        opposite[0] = -(float)Norm;
        float reported = kind switch
        {
            DistanceKind.Euclidean => (float)(2 * Norm),
            DistanceKind.Cosine => 2f,
            _ => (float)(Norm * Norm),
        };
        index.AddBatch([new VectorItem("spike", spike)]);
        Assert.Equal(reported, index.Search(opposite, 1000, ef: 1000).Single(h => h.Id == "spike").Distance, reported * 1e-5f);
    }
}
