namespace Vectord.Hnsw.Tests;

/// <summary>What the index can hold and what growing it would cost, known before a write is attempted.</summary>
public sealed class CapacityTests
{
    [Theory]
    [InlineData(65_536, 2, 32_767)]          // the vectors array is the limit: 2³¹ − 57 floats
    [InlineData(784, 16, 2_739_137)]
    [InlineData(4, 16, 65_075_260)]          // the bottom-layer links are the limit: 2m + 1 ints per item
    public void MaxCount_is_the_most_items_its_arrays_can_hold(int dimension, int m, int expected)
    {
        var index = new HnswIndex(new HnswOptions(dimension, DistanceKind.Euclidean, M: m));
        Assert.Equal(expected, index.MaxCount);
        Assert.True((long)index.MaxCount * dimension <= Array.MaxLength);
    }

    [Fact]
    public void GrowthBytes_is_zero_within_capacity_and_the_grown_arrays_beyond_it()
    {
        var index = new HnswIndex(new HnswOptions(8, DistanceKind.Euclidean));
        Assert.True(index.GrowthBytes(1) >= 8 * 4);
        index.AddBatch([.. Enumerable.Range(0, 100).Select(i => new VectorItem($"v{i}", [.. Enumerable.Range(0, 8).Select(j => (float)(i + j))]))]);
        var before = index.MemoryBytes;
        var within = Enumerable.Range(1, 1000).FirstOrDefault(n => index.GrowthBytes(n) > 0) - 1;
        Assert.True(within >= 0);
        Assert.Equal(0, index.GrowthBytes(within));

        // Adding one more than fits allocates about what GrowthBytes said, for the slot arrays that grow.
        var predicted = index.GrowthBytes(within + 1);
        index.AddBatch([.. Enumerable.Range(100, within + 1).Select(i => new VectorItem($"v{i}", [.. Enumerable.Range(0, 8).Select(j => (float)(i + j))]))]);
        var grown = index.MemoryBytes - before;
        Assert.InRange(predicted, grown / 2, grown * 3);

        // At capacity, one more item needs growth; a deleted slot is reused instead.
        var fill = Enumerable.Range(1, 10_000).First(n => index.GrowthBytes(n) > 0) - 1;
        index.AddBatch([.. Enumerable.Range(10_000, fill).Select(i => new VectorItem($"v{i}", [.. Enumerable.Range(0, 8).Select(j => (float)(i + j))]))]);
        Assert.True(index.GrowthBytes(1) > 0);
        Assert.True(index.Delete("v0"));
        Assert.Equal(0, index.GrowthBytes(1));
    }
}
