using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>A record with a large data property.</summary>
public sealed class Page
{
    [VectorStoreKey]
    public long Id { get; set; }

    [VectorStoreData]
    public string Body { get; set; } = "";

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public float[] Vector { get; set; } = [];
}

/// <summary>Upserts larger than one request may carry are split into calls within the 10,000-item cap and well
/// under the 64 MiB body cap, and every record lands.</summary>
public sealed class BatchingTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task An_upsert_of_more_than_64_MiB_lands_whole(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<long, Page>(Node.NewName("big"));
        await collection.EnsureCollectionExistsAsync(ct);
        string body = new('x', 60_000);
        var pages = Enumerable.Range(0, 1_200).Select(i => new Page { Id = i, Body = body, Vector = [i, 1, 2, 3] }).ToList();
        Assert.True(pages.Count * (long)body.Length > 64L * 1024 * 1024);

        await collection.UpsertAsync(pages, ct);

        Assert.Equal(pages.Count, (await node.Grains.GetAsync(collection.Name)).Length);
        Assert.Equal(body, (await collection.GetAsync(1_199, cancellationToken: ct))!.Body);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task An_upsert_of_more_than_10000_records_lands_whole(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<long, Page>(Node.NewName("many"));
        await collection.EnsureCollectionExistsAsync(ct);
        var pages = Enumerable.Range(0, 25_000).Select(i => new Page { Id = i, Body = "b", Vector = [i % 100, i / 100, 1, 0] }).ToList();

        await collection.UpsertAsync(pages, ct);

        Assert.Equal(pages.Count, (await node.Grains.GetAsync(collection.Name)).Length);
        await collection.DeleteAsync(pages.Select(p => p.Id), ct);   // deletes are split at 10,000 ids too
        Assert.Equal(0, (await node.Grains.GetAsync(collection.Name)).Length);
    }

    [Fact]
    public void Batches_keep_order_and_stay_within_both_caps()
    {
        var items = Enumerable.Range(0, 25_000).Select(i => new IndexItem($"i{i}", new float[4], "{}")).ToList();
        var batches = ItemBatches.Split(items).ToList();
        Assert.Equal([10_000, 10_000, 5_000], batches.Select(b => b.Length));
        Assert.Equal(items, batches.SelectMany(b => b));

        // Items of about 1 MiB each: at most 48 per call.
        var large = Enumerable.Range(0, 100).Select(i => new IndexItem($"l{i}", new float[65_536], null)).ToList();
        var largeBatches = ItemBatches.Split(large).ToList();
        Assert.All(largeBatches, b => Assert.True(b.Sum(ItemBatches.EstimateBytes) <= ItemBatches.MaxBatchBytes));
        Assert.Equal(100, largeBatches.Sum(b => b.Length));
        Assert.True(largeBatches.Count > 2);

        // Characters that JSON may escape count six bytes each.
        Assert.Equal(6 * 3, ItemBatches.EstimateBytes(new IndexItem("é<>", [], null)) - ItemBatches.EstimateBytes(new IndexItem("", [], null)));
    }
}
