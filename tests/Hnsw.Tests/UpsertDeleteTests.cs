using System.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>Upserts replace vector and metadata; deletes are never returned, keep recall and free their slots.</summary>
public sealed class UpsertDeleteTests
{
    private const int Dim = 16;

    private static byte[] Json(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void UpsertReplacesVectorAndMetadata()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(1000, Dim, seed: 51));
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean));
        index.AddBatch(items.Select(i => i with { Metadata = Json("{\"v\":1}") }).ToArray());
        float[] oldVector = items[10].Vector;
        float[] newVector = items[900].Vector.Select(x => x + 0.01f).ToArray();

        int applied = index.AddBatch([new VectorItem("v10", newVector, Json("{\"v\":2}"))]);

        Assert.Equal(1, applied);
        Assert.Equal(1000, index.Count);
        Assert.True(index.TryGet("v10", out VectorItem? stored));
        Assert.Equal(newVector, stored.Vector);
        Assert.Equal(Json("{\"v\":2}"), stored.Metadata);
        SearchHit[] atOld = index.Search(oldVector, 5);
        Assert.DoesNotContain(atOld, h => h.Id == "v10");
        SearchHit[] atNew = index.Search(newVector, 2);
        Assert.Equal("v10", atNew[0].Id);
        Assert.Equal(Json("{\"v\":2}"), atNew[0].Metadata);
    }

    [Fact]
    public void UpsertCanRemoveMetadata()
    {
        var index = new HnswIndex(new HnswOptions(2, DistanceKind.Euclidean));
        index.AddBatch([new VectorItem("a", [1, 2], Json("{}"))]);
        index.AddBatch([new VectorItem("a", [1, 2])]);
        Assert.True(index.TryGet("a", out VectorItem? item));
        Assert.Null(item.Metadata);
        Assert.Null(index.Search([1, 2], 1)[0].Metadata);
    }

    [Fact]
    public void DuplicateIdsInOneBatchLastWins()
    {
        var index = new HnswIndex(new HnswOptions(3, DistanceKind.Euclidean));
        index.AddBatch([new VectorItem("keep", [5, 5, 5])]);
        int applied = index.AddBatch(
        [
            new VectorItem("x", [1, 0, 0], Json("1")),
            new VectorItem("keep", [6, 6, 6], Json("k1")),
            new VectorItem("x", [0, 1, 0], Json("2")),
            new VectorItem("x", [0, 0, 1], Json("3")),
            new VectorItem("keep", [7, 7, 7], Json("k2")),
        ]);

        Assert.Equal(2, applied);
        Assert.Equal(2, index.Count);
        Assert.True(index.TryGet("x", out VectorItem? x));
        Assert.Equal([0f, 0f, 1f], x.Vector);
        Assert.Equal(Json("3"), x.Metadata);
        Assert.True(index.TryGet("keep", out VectorItem? keep));
        Assert.Equal([7f, 7f, 7f], keep.Vector);
        Assert.Equal(Json("k2"), keep.Metadata);
        SearchHit[] hits = index.Search([0, 0, 1], 2);
        Assert.Equal(["x", "keep"], hits.Select(h => h.Id));
        Assert.Equal(0f, hits[0].Distance);
    }

    [Fact]
    public void ManyUpsertsKeepRecall()
    {
        VectorItem[] first = TestData.Items(TestData.Clustered(3000, Dim, seed: 52));
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, EfConstruction: 100));
        index.AddBatch(first, 1);
        // Move every third item to a fresh position: the graph around the old positions must be repaired.
        float[][] moved = TestData.Clustered(1000, Dim, seed: 53);
        index.AddBatch(Enumerable.Range(0, 1000).Select(i => new VectorItem($"v{i * 3}", moved[i])).ToArray(), 1);
        VectorItem[] current = first.Select((item, i) => i % 3 == 0 ? item with { Vector = moved[i / 3] } : item).ToArray();

        Assert.Equal(3000, index.Count);
        double recall = TestData.Recall(index, DistanceKind.Euclidean, current, TestData.Clustered(100, Dim, seed: 54), 10);
        Assert.True(recall >= 0.95, $"recall@10 after moving a third of the items: {recall:F3}");
    }

    [Fact]
    public void DeletedItemsAreNeverReturned()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(2000, Dim, seed: 61));
        HnswIndex index = TestData.Build(DistanceKind.Cosine, items, Dim);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < items.Length; i += 3)
        {
            Assert.True(index.Delete(items[i].Id));
            deleted.Add(items[i].Id);
        }
        Assert.False(index.Delete(items[0].Id));
        Assert.False(index.Delete("never-there"));
        Assert.Equal(items.Length - deleted.Count, index.Count);
        Assert.False(index.Contains(items[0].Id));
        Assert.False(index.TryGet(items[0].Id, out _));
        Assert.DoesNotContain(index.GetIds(), deleted.Contains);

        for (int i = 0; i < items.Length; i += 7)
        {
            SearchHit[] hits = index.Search(items[i].Vector, 20, ef: 200);
            Assert.Equal(20, hits.Length);
            Assert.DoesNotContain(hits, h => deleted.Contains(h.Id));
        }
    }

    [Fact]
    public void RecallAfterDeletingHalfStaysAtLeast095()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(5000, 32, seed: 62));
        HnswIndex index = TestData.Build(DistanceKind.Euclidean, items, 32);
        var random = new Random(63);
        var survivors = new List<VectorItem>();
        foreach (VectorItem item in items)
        {
            if (random.Next(2) == 0)
            {
                Assert.True(index.Delete(item.Id));
            }
            else
            {
                survivors.Add(item);
            }
        }
        Assert.Equal(survivors.Count, index.Count);
        float[][] queries = TestData.Clustered(100, 32, seed: 64);
        double recall = TestData.Recall(index, DistanceKind.Euclidean, survivors, queries, 10);
        Assert.True(recall >= 0.95, $"recall@10 after deleting half: {recall:F3}");
    }

    [Fact]
    public void DeleteAndAddCyclesReuseSlots()
    {
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, EfConstruction: 64));
        VectorItem[] items = TestData.Items(TestData.Clustered(1000, Dim, seed: 71), "a");
        index.AddBatch(items, 1);
        long baseline = index.MemoryBytes;
        long highest = baseline;
        var live = items.ToList();
        for (int cycle = 0; cycle < 10; cycle++)
        {
            // Delete 300 items, add 300 new ones with new ids.
            foreach (VectorItem gone in live.Take(300))
            {
                Assert.True(index.Delete(gone.Id));
            }
            live.RemoveRange(0, 300);
            VectorItem[] fresh = TestData.Items(TestData.Clustered(300, Dim, seed: 100 + cycle), $"c{cycle}-");
            index.AddBatch(fresh, 1);
            live.AddRange(fresh);
            Assert.Equal(1000, index.Count);
            highest = Math.Max(highest, index.MemoryBytes);
        }
        // Ids grow by a few characters ("c9-17" vs "a17"): allow 5 %, far less than the 3× of no reuse.
        Assert.True(highest <= baseline * 1.05, $"memory grew from {baseline} to {highest} bytes over delete+add cycles");
        double recall = TestData.Recall(index, DistanceKind.Euclidean, live, TestData.Clustered(50, Dim, seed: 72), 10);
        Assert.True(recall >= 0.95, $"recall@10 after delete+add cycles: {recall:F3}");
        SearchHit[] all = index.Search(live[0].Vector, 1000, ef: 1000);
        Assert.Equal(live.Select(i => i.Id).Order(StringComparer.Ordinal), all.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HeavyChurnLeavesEveryItemReachable()
    {
        // Each cycle deletes the oldest 40 % and reuses their slots for new items; an exhaustive search
        // (ef = k = Count, no tombstones left) must then reach every live item through the graph.
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, EfConstruction: 64));
        var live = TestData.Items(TestData.Clustered(500, Dim, seed: 73), "a").ToList();
        index.AddBatch(live, 1);
        for (int cycle = 0; cycle < 40; cycle++)
        {
            foreach (VectorItem gone in live.Take(200))
            {
                Assert.True(index.Delete(gone.Id));
            }
            live.RemoveRange(0, 200);
            VectorItem[] fresh = TestData.Items(TestData.Clustered(200, Dim, seed: 500 + cycle), $"c{cycle}-");
            index.AddBatch(fresh, 1);
            live.AddRange(fresh);
            SearchHit[] all = index.Search(live[^1].Vector, 500, ef: 500);
            Assert.True(all.Length == 500, $"cycle {cycle}: {500 - all.Length} live items unreachable");
        }
    }

    [Fact]
    public void DeletingEverythingThenAddingStartsFresh()
    {
        var index = new HnswIndex(new HnswOptions(2, DistanceKind.Euclidean));
        index.AddBatch([new VectorItem("a", [0, 0]), new VectorItem("b", [1, 1])]);
        Assert.True(index.Delete("a"));
        Assert.True(index.Delete("b"));
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search([0, 0], 5));
        index.AddBatch([new VectorItem("c", [3, 4])]);
        SearchHit hit = Assert.Single(index.Search([0, 0], 5));
        Assert.Equal("c", hit.Id);
        Assert.Equal(5f, hit.Distance);
        Assert.Equal(["c"], index.GetIds());
    }
}
