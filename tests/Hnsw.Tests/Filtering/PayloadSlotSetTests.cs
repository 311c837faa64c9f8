using Vectord.Hnsw.Filtering;


namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>The slot bitset the payload index answers with, and its posting lists, against a HashSet.</summary>
public sealed class PayloadSlotSetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Operations_agree_with_a_hash_set(int capacity)
    {
        var random = new Random(capacity);
        for (int round = 0; round < 20; round++)
        {
            var (a, expectedA) = Random(random, capacity);
            var (b, expectedB) = Random(random, capacity);
            Assert.Equal(expectedA.Order(), Slots(a));
            Assert.Equal(expectedA.Count, a.Count);
            Assert.All(Enumerable.Range(0, capacity), slot => Assert.Equal(expectedA.Contains(slot), a.Contains(slot)));

            var and = a.Clone();
            and.IntersectWith(b);
            Assert.Equal(expectedA.Intersect(expectedB).Order(), Slots(and));
            var or = a.Clone();
            or.UnionWith(b);
            Assert.Equal(expectedA.Union(expectedB).Order(), Slots(or));
            var except = a.Clone();
            except.ExceptWith(b);
            Assert.Equal(expectedA.Except(expectedB).Order(), Slots(except));
            Assert.Equal(expectedA.Order(), Slots(a));
        }
        Assert.Equal(Enumerable.Range(0, capacity), Slots(SlotSet.All(capacity)));
        Assert.Equal(capacity, SlotSet.All(capacity).Count);
    }

    [Fact]
    public void Add_and_remove_change_one_slot_and_reject_slots_outside_the_capacity()
    {
        var set = SlotSet.Of(130, 0, 64, 129);
        set.Add(64);
        set.Remove(0);
        set.Remove(5);
        set.Remove(500);
        Assert.Equal([64, 129], Slots(set));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(130));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(-1));
    }

    [Fact]
    public void Sets_of_other_capacities_combine_within_this_ones()
    {
        var small = SlotSet.Of(70, 1, 69);
        var large = SlotSet.Of(200, 1, 69, 100, 199);
        var union = small.Clone();
        union.UnionWith(large);
        Assert.Equal([1, 69], Slots(union));
        var intersection = large.Clone();
        intersection.IntersectWith(small);
        Assert.Equal([1, 69], Slots(intersection));
        var rest = large.Clone();
        rest.ExceptWith(small);
        Assert.Equal([100, 199], Slots(rest));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Posting_lists_agree_with_a_hash_set_as_arrays_and_as_bitmaps(int slots)
    {
        var random = new Random(slots);
        var posting = new SlotList();
        var expected = new HashSet<int>();
        for (int step = 0; step < 20_000; step++)
        {
            // Phases of mostly adding, then mostly removing, so that the list changes form both ways.
            bool adding = (step / 5_000 % 2 == 0) == (random.Next(10) < 8);
            int slot = random.Next(slots);
            if (adding && !expected.Contains(slot)) // the index adds a slot to a posting once
            {
                posting.Add(slot);
                expected.Add(slot);
            }
            else if (!adding)
            {
                posting.Remove(slot);
                expected.Remove(slot);
            }
            Assert.Equal(expected.Count, posting.Count);
        }
        var set = new SlotSet(slots);
        posting.AddTo(set);
        Assert.Equal(expected.Order(), Slots(set));
        var smaller = new SlotSet(slots / 2 + 1);
        posting.AddTo(smaller);
        Assert.Equal(expected.Where(slot => slot <= slots / 2).Order(), Slots(smaller));
    }

    private static (SlotSet Set, HashSet<int> Expected) Random(Random random, int capacity)
    {
        var set = new SlotSet(capacity);
        var expected = new HashSet<int>();
        double density = random.NextDouble();
        for (int slot = 0; slot < capacity; slot++)
        {
            if (random.NextDouble() < density)
            {
                set.Add(slot);
                expected.Add(slot);
            }
        }
        return (set, expected);
    }

    private static int[] Slots(SlotSet set)
    {
        var slots = new List<int>();
        foreach (int slot in set)
        {
            slots.Add(slot);
        }
        return [.. slots];
    }
}
