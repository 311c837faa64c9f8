namespace Vectord.Hnsw.Tests;

/// <summary>A bad item rejects the whole batch and changes nothing.</summary>
public sealed class ValidationTests
{
    private static HnswIndex Seeded(DistanceKind kind)
    {
        var index = new HnswIndex(new HnswOptions(3, kind));
        index.AddBatch([new VectorItem("a", [1, 2, 3], "{}"u8.ToArray()), new VectorItem("b", [3, 2, 1])]);
        return index;
    }

    private static void AssertUnchanged(HnswIndex index)
    {
        Assert.Equal(2, index.Count);
        Assert.Equal(["a", "b"], index.GetIds().Order(StringComparer.Ordinal));
        Assert.True(index.TryGet("a", out VectorItem? a));
        Assert.Equal("{}"u8.ToArray(), a.Metadata);
        Assert.True(index.TryGet("b", out VectorItem? b));
        Assert.Null(b.Metadata);
        Assert.False(index.Contains("new"));
        Assert.Equal(["b", "a"], index.Search([3, 2, 1], 5).Select(h => h.Id));
    }

    public static TheoryData<DistanceKind, float[], string> BadVectors() => new()
    {
        { DistanceKind.Euclidean, [1, float.NaN, 3], "items[1]: non-finite component at 1" },
        { DistanceKind.Euclidean, [float.PositiveInfinity, 0, 0], "items[1]: non-finite component at 0" },
        { DistanceKind.Dot, [0, 0, float.NegativeInfinity], "items[1]: non-finite component at 2" },
        { DistanceKind.Euclidean, [1, 2], "items[1]: dim mismatch (index=3, got=2)" },
        { DistanceKind.Cosine, [1, 2, 3, 4], "items[1]: dim mismatch (index=3, got=4)" },
        { DistanceKind.Cosine, [0, 0, 0], "items[1]: zero vector under cosine distance" },
    };

    [Theory]
    [MemberData(nameof(BadVectors))]
    public void BadVectorRejectsTheWholeBatch(DistanceKind kind, float[] bad, string message)
    {
        HnswIndex index = Seeded(kind);
        var e = Assert.Throws<ArgumentException>(() => index.AddBatch(
        [
            new VectorItem("new", [9, 9, 9]),
            new VectorItem("a", bad),
            new VectorItem("b", [1, 1, 1], "{\"x\":1}"u8.ToArray()),
        ]));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        AssertUnchanged(index);
    }

    [Fact]
    public void EmptyOrMissingIdRejectsTheWholeBatch()
    {
        HnswIndex index = Seeded(DistanceKind.Euclidean);
        var e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("new", [9, 9, 9]), new VectorItem("", [1, 1, 1])]));
        Assert.StartsWith("items[1]: empty id", e.Message, StringComparison.Ordinal);
        AssertUnchanged(index);
        e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("new", [9, 9, 9]), new VectorItem(null!, [1, 1, 1])]));
        Assert.StartsWith("items[1]: empty id", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("new", [9, 9, 9]), null!]));
        Assert.StartsWith("items[1]: missing item", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("b", null!)]));
        Assert.StartsWith("items[0]: missing vector", e.Message, StringComparison.Ordinal);
        AssertUnchanged(index);
    }

    [Fact]
    public void ZeroVectorIsFineOutsideCosine()
    {
        var index = new HnswIndex(new HnswOptions(3, DistanceKind.Euclidean));
        index.AddBatch([new VectorItem("zero", [0, 0, 0])]);
        Assert.Equal(0f, index.Search([0, 0, 0], 1)[0].Distance);
    }

    [Fact]
    public void BadQueriesAreRejected()
    {
        HnswIndex index = Seeded(DistanceKind.Cosine);
        Assert.Contains("dim mismatch (index=3, got=2)", Assert.Throws<ArgumentException>(() => index.Search([1, 2], 1)).Message, StringComparison.Ordinal);
        Assert.Contains("non-finite component at 2", Assert.Throws<ArgumentException>(() => index.Search([1, 2, float.NaN], 1)).Message, StringComparison.Ordinal);
        // A zero query has no direction under cosine: refused as a zero item is, not answered with distance 1 everywhere.
        Assert.Contains("zero vector under cosine distance", Assert.Throws<ArgumentException>(() => index.Search([0, 0, 0], 1)).Message, StringComparison.Ordinal);
        AssertUnchanged(index);
    }

    [Fact]
    public void ValidateVectorNamesTheProblem()
    {
        var index = new HnswIndex(new HnswOptions(2, DistanceKind.Cosine));
        Assert.Null(index.ValidateVector([1, 0]));
        Assert.Equal("dim mismatch (index=2, got=3)", index.ValidateVector([1, 0, 0]));
        Assert.Equal("non-finite component at 1", index.ValidateVector([1, float.NaN]));
        Assert.Equal("zero vector under cosine distance", index.ValidateVector([0, 0]));
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(-1)));
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(4, (DistanceKind)9)));
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(4, M: 1)));
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(4, EfSearch: -1)));
        HnswOptions defaults = new HnswIndex(new HnswOptions(4)).Options;
        Assert.Equal(HnswOptions.DefaultM, defaults.M);
        Assert.Equal(HnswOptions.DefaultEfConstruction, defaults.EfConstruction);
        Assert.Equal(HnswOptions.DefaultEfSearch, defaults.EfSearch);
    }
}
