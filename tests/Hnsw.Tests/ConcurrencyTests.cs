namespace Vectord.Hnsw.Tests;

/// <summary>Concurrent searches and parallel builds.</summary>
public sealed class ConcurrencyTests
{
    private const int Dim = 32;

    [Fact]
    public void ConcurrentSearchesEqualSerialResults()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(3000, Dim, seed: 101));
        HnswIndex index = TestData.Build(DistanceKind.Cosine, items, Dim, efConstruction: 100);
        // Some tombstones, so the search path that routes through deleted nodes runs too.
        for (int i = 0; i < items.Length; i += 10)
        {
            index.Delete(items[i].Id);
        }
        float[][] queries = TestData.Clustered(200, Dim, seed: 102);
        int[] efs = [10, 40, 120];
        SearchHit[][] serial = queries.SelectMany(q => efs.Select(ef => index.Search(q, 10, ef))).ToArray();

        const int Threads = 6;
        const int Rounds = 3;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            for (int round = 0; round < Rounds; round++)
            {
                for (int n = 0; n < serial.Length; n++)
                {
                    // Threads walk the queries at different offsets so different searches overlap.
                    int i = (n + (t * 97)) % serial.Length;
                    SearchHit[] hits = index.Search(queries[i / efs.Length], 10, efs[i % efs.Length]);
                    if (!hits.Select(h => (h.Id, h.Distance)).SequenceEqual(serial[i].Select(h => (h.Id, h.Distance))))
                    {
                        failures.Enqueue($"thread {t} round {round} query {i}");
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(90)), "a search thread did not finish in time");
        }
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    public void ParallelBuildRecallIsWithinOneHundredthOfSerial(DistanceKind kind)
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(5000, Dim, seed: 111));
        float[][] queries = TestData.Clustered(300, Dim, seed: 112);
        double serial = TestData.Recall(TestData.Build(kind, items, Dim, efConstruction: 100, maxDop: 1), kind, items, queries, 10, ef: 32);
        foreach (int dop in new[] { 2, 4 })
        {
            HnswIndex parallel = TestData.Build(kind, items, Dim, efConstruction: 100, maxDop: dop);
            Assert.Equal(items.Length, parallel.Count);
            Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), parallel.GetIds().Order(StringComparer.Ordinal));
            double recall = TestData.Recall(parallel, kind, items, queries, 10, ef: 32);
            Assert.True(recall >= serial - 0.01, $"{kind}: recall@10 {recall:F3} with {dop} threads, {serial:F3} serial");
        }
    }

    [Fact]
    public void ParallelBatchesAddedToAnExistingIndexAreFound()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(3000, Dim, seed: 121));
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, EfConstruction: 100));
        index.AddBatch(items[..1000], 4);
        index.AddBatch(items[1000..], 4);
        Assert.Equal(3000, index.Count);
        int self = 0;
        for (int i = 0; i < items.Length; i += 30)
        {
            self += index.Search(items[i].Vector, 1)[0].Id == items[i].Id ? 1 : 0;
        }
        Assert.True(self >= 99, $"only {self} of 100 items found as their own nearest neighbour");
        double recall = TestData.Recall(index, DistanceKind.Euclidean, items, TestData.Clustered(50, Dim, seed: 122), 10);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }
}
