using Vectord.Storage;

namespace Vectord.Grains.Tests;

/// <summary>Snapshots through the grain API on the file backend (two silos): the golden file, writes running while
/// snapshots are taken, what a drop leaves, and what a refused restore leaves.</summary>
[Collection(FileCluster.Name)]
public sealed class SnapshotTests(FileClusterFixture fixture)
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "v1-euclidean-2parts.snapshot");

    private IGrainFactory Grains => fixture.Grains;

    private IVectorIndexGrain Index(string name) => Grains.GetGrain<IVectorIndexGrain>(name);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Golden_snapshot_of_version_1_restores_with_every_item_and_the_same_answers(int shards)
    {
        var file = await File.ReadAllBytesAsync(GoldenPath, TestContext.Current.CancellationToken);
        var name = TestData.Name("golden");
        var info = await SnapshotTransfer.RestoreAsync(Grains, file, name, shards, SnapshotTransfer.Sha256(file).ToUpperInvariant(), chunk: 4096);
        var live = GoldenSnapshotGenerator.Live.ToArray();
        Assert.Equal(new IndexInfo(name, 8, 8, 50, IndexDistance.Euclidean, live.Length, shards == 0 ? 2 : shards), info);

        var index = Index(name);
        foreach (var i in live)
        {
            var item = await index.GetItemAsync(GoldenSnapshotGenerator.Id(i));
            Assert.NotNull(item);
            Assert.Equal(GoldenSnapshotGenerator.Vector(i), item.Vector);
            Assert.Equal(GoldenSnapshotGenerator.Metadata(i), item.Metadata);
        }
        foreach (var i in GoldenSnapshotGenerator.Deleted) { Assert.Null(await index.GetItemAsync(GoldenSnapshotGenerator.Id(i))); }

        // The exact nearest distances (the generator repeats vectors, so ids may tie).
        foreach (var query in TestData.Vectors(8, 8, seed: 5))
        {
            var expected = live.Select(i => TestData.Distance(IndexDistance.Euclidean, query, GoldenSnapshotGenerator.Vector(i))).Order().Take(5);
            var hits = await index.SearchAsync(query, k: 5, ef: 500);
            Assert.Equal(expected, hits.Select(h => (double)h.Distance), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public async Task Writes_running_during_snapshots_are_wholly_in_or_wholly_out_across_shards()
    {
        const int batches = 60, perBatch = 20;
        var name = TestData.Name("busy");
        await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: 3));
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var items = TestData.Items(perBatch, 4, seed: b, prefix: $"b{b:D2}-", metadata: _ => $"{{\"batch\":{b}}}");
                await Index(name).AddAsync(items);
            }
        }, TestContext.Current.CancellationToken);

        var snapshots = new List<SnapshotInfo>();
        while (!writer.IsCompleted) { snapshots.Add(await Index(name).CreateSnapshotAsync()); }
        await writer;
        snapshots.Add(await Index(name).CreateSnapshotAsync());

        foreach (var snapshot in snapshots)
        {
            var file = await SnapshotTransfer.DownloadAsync(Grains, name, snapshot.Name);
            Assert.Equal((snapshot.Size, snapshot.Sha256), (file.LongLength, SnapshotTransfer.Sha256(file)));
            var restored = TestData.Name("busy-r");
            var info = await SnapshotTransfer.RestoreAsync(Grains, file, restored);
            Assert.Equal((3, snapshot.Length), (info.Shards, info.Length));

            // Batches are applied in order: a consistent copy holds batches 0..k-1, each whole.
            var perBatchSeen = new Dictionary<string, int>();
            string? after = null;
            do
            {
                var page = await Index(restored).ListItemsAsync(after, 1000);
                foreach (var item in page.Items)
                {
                    var batch = item.Metadata!.ToString();
                    perBatchSeen[batch] = perBatchSeen.GetValueOrDefault(batch) + 1;
                }
                after = page.Next;
            }
            while (after is not null);
            Assert.All(perBatchSeen.Values, count => Assert.Equal(perBatch, count));
            var k = snapshot.Length / perBatch;
            Assert.Equal(Enumerable.Range(0, k).Select(b => $"{{\"batch\":{b}}}").Order(StringComparer.Ordinal), perBatchSeen.Keys.Order(StringComparer.Ordinal));
        }
        Assert.Equal(batches * perBatch, snapshots[^1].Length);
        var listed = await Grains.GetGrain<ISnapshotStoreGrain>(0).ListAsync(name);
        Assert.Equal(snapshots.Select(s => s.Name).Reverse(), listed.Select(s => s.Name));   // newest first
    }

    [Fact]
    public async Task Snapshots_outlive_a_drop_and_restore_the_index_under_its_own_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = TestData.Name("dropped");
        await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Dot, Shards: 2,
            TextFields: [new IndexTextField("body", IndexTextLanguage.English)], Bm25K1: 0.9));
        var items = TestData.Items(50, 4, seed: 3, metadata: i => $"{{\"i\":{i},\"body\":\"{TestData.Words(i)}\"}}");
        await Index(name).AddAsync(items);
        var keyword = new SearchQuery([], K: 10, Text: new TextQuery("running foxes"));
        var before = await Index(name).SearchAsync(keyword, ct);
        Assert.NotEmpty(before);
        var snapshot = await Index(name).CreateSnapshotAsync();
        await Index(name).DropAsync();

        var store = Grains.GetGrain<ISnapshotStoreGrain>(0);
        Assert.Equal([snapshot], await store.ListAsync(name));
        var file = await SnapshotTransfer.DownloadAsync(Grains, name, snapshot.Name);
        var info = await SnapshotTransfer.RestoreAsync(Grains, file, name);
        Assert.Equal((IndexDistance.Dot, 2, 50), (info.Distance, info.Shards, info.Length));
        Assert.Equal(items[7].Metadata, (await Index(name).GetItemAsync(items[7].Id))!.Metadata);
        // The text fields come back with the index, and its parts rebuild their text indexes from the items.
        Assert.Equal([new IndexTextField("body", IndexTextLanguage.English)], info.TextFields!);
        Assert.Equal((0.9, 0.75), (info.Bm25K1, info.Bm25B));
        Assert.Equal(before, await Index(name).SearchAsync(keyword, ct));

        await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => SnapshotTransfer.RestoreAsync(Grains, file, name));
        await store.DeleteAsync(name, snapshot.Name);
        Assert.Empty(await store.ListAsync(name));
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => store.DeleteAsync(name, snapshot.Name));
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => store.ReadAsync(name, snapshot.Name, 0, 10));
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => store.GetAsync(name, "../" + snapshot.Name));
    }

    [Fact]
    public async Task The_next_snapshot_deletes_what_unfinished_old_writes_left_and_keeps_everything_described()
    {
        var name = TestData.Name("sweep");
        await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await Index(name).AddAsync(TestData.Items(20, 4, seed: 1));
        var first = await Index(name).CreateSnapshotAsync();
        var files = new FileIndexBlobStore(fixture.StoragePath);
        var prefix = StorageKeys.SnapshotsOf(name);
        var old = DateTimeOffset.UtcNow - TimeSpan.FromDays(2);
        var orphan = SnapshotNames.New(name, old);                                  // a file whose description was never written
        var staged = SnapshotNames.New(name, old) + ".p03";                          // a shard's staged part left behind
        var recent = SnapshotNames.New(name, DateTimeOffset.UtcNow.AddMinutes(-5));  // perhaps still being written
        var describedOld = SnapshotNames.New(name, old);                             // old, but a finished snapshot
        foreach (var key in new[] { orphan, staged, recent })
        {
            Assert.True(await files.TryCreateAsync(prefix + key, new byte[] { 1, 2, 3 }, TestContext.Current.CancellationToken));
        }
        foreach (var suffix in new[] { "", ".json" })
        {
            await using var copy = (await files.OpenReadAsync(prefix + first.Name + suffix, TestContext.Current.CancellationToken))!;
            using var bytes = new MemoryStream();
            await copy.CopyToAsync(bytes, TestContext.Current.CancellationToken);
            Assert.True(await files.TryCreateAsync(prefix + describedOld + suffix, bytes.ToArray(), TestContext.Current.CancellationToken));
        }

        var second = await Index(name).CreateSnapshotAsync();

        var left = (await files.ListAsync(prefix, TestContext.Current.CancellationToken)).Select(e => e.Key[prefix.Length..]).Order(StringComparer.Ordinal);
        string[] expected = [first.Name, first.Name + ".json", second.Name, second.Name + ".json", recent, describedOld, describedOld + ".json"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public async Task A_refused_restore_leaves_no_index_no_catalog_entry_and_no_stored_bytes()
    {
        var file = await File.ReadAllBytesAsync(GoldenPath, TestContext.Current.CancellationToken);
        var name = TestData.Name("refused");
        var damaged = (byte[])file.Clone();
        damaged[file.Length / 2] ^= 1;
        var e = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => SnapshotTransfer.RestoreAsync(Grains, damaged, name));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => SnapshotTransfer.RestoreAsync(Grains, file[..^1], name));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => SnapshotTransfer.RestoreAsync(Grains, file, name, sha256: new string('0', 64)));
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(name).GetInfoAsync());
        Assert.DoesNotContain(name, await Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
        Assert.False(Directory.Exists(Path.Combine(fixture.StoragePath, StorageKeys.IndexPrefix(name))));
        var uploads = Path.Combine(fixture.StoragePath, "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0);
    }
}
