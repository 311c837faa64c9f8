namespace Vectord.Hnsw.Tests;

/// <summary>A small index costs little more than its items: a silo may hold thousands of them.</summary>
public sealed class SmallIndexMemoryTests
{
    [Fact]
    public void A_small_index_built_on_one_thread_allocates_a_few_kilobytes()
    {
        VectorItem[] Items(int seed) => [.. TestVectors(seed).Select((v, i) => new VectorItem($"item-{i}", v))];
        long Build(VectorItem[] items)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var index = new HnswIndex(new HnswOptions(32, DistanceKind.Euclidean));
            index.AddBatch(items, maxDegreeOfParallelism: 1);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(items[3].Id, index.Search(items[3].Vector, 1)[0].Id);
            return allocated;
        }

        Build(Items(1));   // this thread's search buffers are made once, by its first build
        var allocated = Build(Items(2));

        // 20 vectors of 32 floats are 2.5 KiB; lock stripes for parallel builds alone would be about 130 KiB.
        Assert.InRange(allocated, 20 * 32 * 4, 32 * 1024);
    }

    private static float[][] TestVectors(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 32).Select(_ => random.NextSingle()).ToArray())];
    }
}
