using Azure.Storage.Blobs.Models;

namespace Vectord.Grains.Tests;

/// <summary>Snapshots on the <c>azureblob</c> backend against a real Azurite: the full round trip, and a refused
/// restore that leaves no blob behind.</summary>
[Collection(AzuriteCluster.Name)]
public sealed class AzureSnapshotTests(AzuriteClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private IVectorIndexGrain Index(string name) => Grains.GetGrain<IVectorIndexGrain>(name);

    private async Task<string[]> BlobsAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in fixture.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }
        return [.. names];
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    public async Task Create_list_download_and_restore_under_a_new_name_and_another_shard_count_answer_the_same(int shards, int otherShards)
    {
        var name = TestData.Name("azsnap");
        await Index(name).CreateAsync(new IndexSpec(8, Distance: IndexDistance.Cosine, Shards: shards));
        var items = TestData.Items(400, 8, seed: shards, metadata: i => i % 2 == 0 ? $"{{\"i\":{i}}}" : null);
        for (var at = 0; at < items.Length; at += 100) { await Index(name).AddAsync(items[at..(at + 100)]); }
        await Index(name).DeleteAsync(["item-0003"]);

        var snapshot = await Index(name).CreateSnapshotAsync();
        Assert.Equal(399, snapshot.Length);
        var store = Grains.GetGrain<ISnapshotStoreGrain>(0);
        Assert.Equal([snapshot], await store.ListAsync(name));
        Assert.Equal([$"snapshots/{name}/{snapshot.Name}", $"snapshots/{name}/{snapshot.Name}.json"], await BlobsAsync($"snapshots/{name}/"));
        var file = await SnapshotTransfer.DownloadAsync(Grains, name, snapshot.Name, chunk: 100_000);
        Assert.Equal((snapshot.Size, snapshot.Sha256), (file.LongLength, SnapshotTransfer.Sha256(file)));

        var same = TestData.Name("azsame");
        var other = TestData.Name("azother");
        Assert.Equal((shards, 399), Pair(await SnapshotTransfer.RestoreAsync(Grains, file, same, sha256: snapshot.Sha256)));
        Assert.Equal((otherShards, 399), Pair(await SnapshotTransfer.RestoreAsync(Grains, file, other, otherShards)));
        foreach (var query in TestData.Vectors(10, 8, seed: 77))
        {
            var expected = (await Index(name).SearchAsync(query, k: 10, ef: 1000)).Select(h => (h.Id, h.Metadata));
            Assert.Equal(expected, (await Index(same).SearchAsync(query, k: 10, ef: 1000)).Select(h => (h.Id, h.Metadata)));
            Assert.Equal(expected, (await Index(other).SearchAsync(query, k: 10, ef: 1000)).Select(h => (h.Id, h.Metadata)));
        }
        Assert.Null(await Index(other).GetItemAsync("item-0003"));

        await store.DeleteAsync(name, snapshot.Name);
        Assert.Empty(await BlobsAsync($"snapshots/{name}/"));
        Assert.Empty(await BlobsAsync("uploads/"));
    }

    [Fact]
    public async Task A_damaged_upload_is_refused_and_leaves_no_blob()
    {
        var name = TestData.Name("azsrc");
        await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await Index(name).AddAsync(TestData.Items(30, 4, seed: 1));
        var snapshot = await Index(name).CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(Grains, name, snapshot.Name);
        file[^50] ^= 0x10;

        var target = TestData.Name("azbad");
        var e = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => SnapshotTransfer.RestoreAsync(Grains, file, target, chunk: 1000));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(target).GetInfoAsync());
        Assert.Empty(await BlobsAsync($"indexes/{target}/"));
        Assert.Empty(await BlobsAsync("uploads/"));
    }

    private static (int Shards, int Length) Pair(IndexInfo info) => (info.Shards, info.Length);
}
