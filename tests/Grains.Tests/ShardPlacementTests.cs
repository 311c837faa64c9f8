using Vectord.Grains.Shards;

namespace Vectord.Grains.Tests;

/// <summary>The shards of an index are spread over the silos by <see cref="ShardSpreadPlacement"/>.</summary>
public sealed class ShardPlacementTests
{
    [Theory]
    [InlineData(4, 2)]
    [InlineData(4, 3)]
    [InlineData(8, 3)]
    [InlineData(2, 5)]
    [InlineData(64, 7)]
    public void The_shards_of_an_index_cover_as_many_silos_as_they_can_evenly(int shards, int silos)
    {
        foreach (string index in new[] { "a", "docs", "sharded", "tenant-42.vectors" })
        {
            int[] slots = [.. Enumerable.Range(0, shards).Select(s => ShardSpreadPlacementDirector.Slot(ShardContext.Key(index, s), silos))];

            Assert.All(slots, slot => Assert.InRange(slot, 0, silos - 1));
            int[] perSilo = [.. Enumerable.Range(0, silos).Select(silo => slots.Count(x => x == silo))];
            Assert.True(perSilo.Max() - perSilo.Min() <= 1, $"{index}: {string.Join(",", perSilo)}");
            Assert.Equal(Math.Min(shards, silos), slots.Distinct().Count());
        }
    }

    [Fact]
    public void Indexes_start_their_shards_on_different_silos()
    {
        int[] firstSlots = [.. Enumerable.Range(0, 40).Select(i => ShardSpreadPlacementDirector.Slot(ShardContext.Key($"index-{i}", 0), 4))];
        Assert.Equal(4, firstSlots.Distinct().Count());
    }
}
