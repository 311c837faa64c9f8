using Vectord.Grains.Shards;

namespace Vectord.Grains.Tests;

/// <summary>The placement of items in shards is part of the storage format: these values must never change.</summary>
public sealed class ShardRoutingTests
{
    [Theory]
    [InlineData("a", 2, 1)]
    [InlineData("a", 3, 2)]
    [InlineData("item-0001", 2, 0)]
    [InlineData("item-0001", 64, 60)]
    [InlineData("ünïcødé", 7, 6)]
    [InlineData("", 5, 1)]
    public void Placement_is_pinned(string id, int shards, int expected) => Assert.Equal(expected, ShardRouting.ShardOf(id, shards));

    [Fact]
    public void One_shard_takes_everything_and_long_ids_hash_like_short_ones()
    {
        Assert.Equal(0, ShardRouting.ShardOf("anything", 1));
        var longId = new string('x', 1000);
        Assert.Equal((int)(System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(longId)) % 5), ShardRouting.ShardOf(longId, 5));
    }

    [Fact]
    public void Items_spread_evenly()
    {
        var counts = new int[4];
        for (var i = 0; i < 40_000; i++) { counts[ShardRouting.ShardOf($"doc-{i}", 4)]++; }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
