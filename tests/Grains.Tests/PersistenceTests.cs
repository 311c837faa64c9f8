using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The write-ahead log, snapshots and recovery on the <c>file</c> backend, inspected on disk.</summary>
[Collection(FileCluster.Name)]
public sealed class PersistenceTests(FileClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    /// <summary>The directory of the index's current incarnation (indexes/{name}/{generation}).</summary>
    private string DataDirectory(string name) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(fixture.StoragePath, "indexes", name)));

    private static string[] Files(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order(StringComparer.Ordinal)!] : [];

    private static long Seq(string file) => long.Parse(file, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The index's snapshot and log files once its last snapshot is written and the records it covers are
    /// deleted: both run in the background, after the write that made the snapshot due.</summary>
    private Task<(string[] Snapshots, string[] Records)> CompactedFilesAsync(string name)
    {
        var data = DataDirectory(name);
        return Eventually.ReadAsync(
            () => Task.FromResult((Files(Path.Combine(data, "snap")), Files(Path.Combine(data, "wal")))),
            s => s.Item1.Length == 1 && s.Item2.All(r => Seq(r) > Seq(s.Item1[0])),
            TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Every_acknowledged_write_is_one_log_record_until_a_snapshot_covers_it()
    {
        var name = TestData.Name("wal");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await grain.AddAsync(TestData.Items(3, 4, seed: 1));
        await grain.DeleteAsync(["item-0001", "nope"]);
        await grain.DeleteAsync(["nope"]);   // nothing existed: nothing to log
        await grain.AddAsync(TestData.Items(1, 4, seed: 2, prefix: "x-"));

        var data = DataDirectory(name);
        Assert.Equal(["000000000001", "000000000002", "000000000003"], Files(Path.Combine(data, "wal")));
        Assert.Empty(Files(Path.Combine(data, "snap")));
    }

    [Fact]
    public async Task Snapshot_compacts_the_log_and_recovery_gives_identical_results()
    {
        var name = TestData.Name("compact");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(32, Distance: IndexDistance.Cosine));
        var items = TestData.Items(1200, 32, seed: 42, metadata: i => i % 3 == 0 ? $"{{\"n\":{i}}}" : null);
        var writes = 0;
        for (var start = 0; start < items.Length; start += 100)
        {
            await grain.AddAsync(items[start..(start + 100)]);
            writes++;
        }
        await grain.DeleteAsync([.. items.Where((_, i) => i % 10 == 0).Select(i => i.Id)]);
        await grain.AddAsync([items[5] with { Vector = items[6].Vector, Metadata = """{"moved":true}""" }]);
        writes += 2;

        var (snapshots, records) = await CompactedFilesAsync(name);
        var snapshotSeq = Seq(Assert.Single(snapshots));
        Assert.True(records.Length < writes, $"{records.Length} log records for {writes} writes: nothing was compacted");
        Assert.All(records, r => Assert.True(long.Parse(r, System.Globalization.CultureInfo.InvariantCulture) > snapshotSeq, $"record {r} is covered by snapshot {snapshotSeq} but was kept"));
        Assert.Equal(Enumerable.Range((int)snapshotSeq + 1, records.Length).Select(s => s.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)), records);

        var queries = TestData.Vectors(20, 32, seed: 7);
        var before = await Task.WhenAll(queries.Select(q => grain.SearchAsync(q, k: 10)));
        var infoBefore = await grain.GetInfoAsync();

        await VectordCluster.ReactivateAsync(fixture.Cluster, name);

        Assert.Equal(infoBefore, await grain.GetInfoAsync());
        var after = await Task.WhenAll(queries.Select(q => grain.SearchAsync(q, k: 10)));
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(before[i].Select(h => (h.Id, h.Metadata)), after[i].Select(h => (h.Id, h.Metadata)));
            Assert.Equal(before[i].Select(h => h.Distance), after[i].Select(h => h.Distance));
        }
        Assert.Equal("""{"moved":true}""", (await grain.GetItemAsync(items[5].Id))!.Metadata);
        Assert.Null(await grain.GetItemAsync(items[10].Id));
    }

    [Fact]
    public async Task A_corrupt_snapshot_breaks_only_its_own_index()
    {
        var broken = TestData.Name("corrupt");
        var healthy = TestData.Name("healthy");
        foreach (var name in new[] { broken, healthy })
        {
            await Index(name).CreateAsync(new IndexSpec(32, Distance: IndexDistance.Euclidean));
            for (var b = 0; b < 8; b++) { await Index(name).AddAsync(TestData.Items(100, 32, seed: b, prefix: $"b{b}-")); }
        }
        var snapshot = Path.Combine(DataDirectory(broken), "snap", Assert.Single((await CompactedFilesAsync(broken)).Snapshots));
        var bytes = await File.ReadAllBytesAsync(snapshot, TestContext.Current.CancellationToken);
        for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 16; i++) { bytes[i] ^= 0x5A; }
        await File.WriteAllBytesAsync(snapshot, bytes, TestContext.Current.CancellationToken);

        await VectordCluster.ReactivateAsync(fixture.Cluster, broken);
        await VectordCluster.ReactivateAsync(fixture.Cluster, healthy);

        var error = await Assert.ThrowsAsync<IndexCorruptException>(() => Index(broken).SearchAsync(new float[32]));
        Assert.Contains($"index '{broken}' is corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("snapshot", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IndexCorruptException>(() => Index(broken).AddAsync([new IndexItem("x", new float[32])]));
        await Assert.ThrowsAsync<IndexCorruptException>(() => Index(broken).GetInfoAsync());

        Assert.Equal(800, (await Index(healthy).GetInfoAsync()).Length);
        Assert.Equal(10, (await Index(healthy).SearchAsync(new float[32])).Length);
        Assert.Equal(801, (await Index(healthy).AddAsync([new IndexItem("x", new float[32])])).Length);

        // A corrupt index can still be dropped, which removes its data.
        await Index(broken).DropAsync();
        Assert.False(Directory.Exists(Path.Combine(fixture.StoragePath, "indexes", broken)));
    }

    [Fact]
    public async Task A_corrupt_log_record_breaks_only_its_own_index()
    {
        var broken = TestData.Name("badlog");
        await Index(broken).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await Index(broken).AddAsync(TestData.Items(5, 4, seed: 1));
        await Index(broken).AddAsync(TestData.Items(5, 4, seed: 2, prefix: "second-"));
        var record = Path.Combine(DataDirectory(broken), "wal", "000000000002");
        var bytes = await File.ReadAllBytesAsync(record, TestContext.Current.CancellationToken);
        bytes[30] ^= 0xFF;
        await File.WriteAllBytesAsync(record, bytes, TestContext.Current.CancellationToken);

        await VectordCluster.ReactivateAsync(fixture.Cluster, broken);
        var error = await Assert.ThrowsAsync<IndexCorruptException>(() => Index(broken).GetItemAsync("item-0000"));
        Assert.Equal($"index '{broken}' is corrupt: log record 2: log record checksum mismatch", error.Message);

        var other = Index(TestData.Name("goodlog"));
        await other.CreateAsync(new IndexSpec(4));
        Assert.Equal(5, (await other.AddAsync(TestData.Items(5, 4, seed: 1))).Length);
    }

    [Fact]
    public async Task A_stale_activation_fails_its_write_and_the_next_one_sees_the_other_writer()
    {
        var name = TestData.Name("fence");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(2, Distance: IndexDistance.Euclidean));
        await grain.AddAsync([new IndexItem("mine", [1, 1])]);

        // Another activation of the same index (e.g. on a silo this one could not see) wrote log record 2.
        var generation = Path.GetFileName(DataDirectory(name));
        var store = new Vectord.Storage.FileIndexBlobStore(fixture.StoragePath);
        var foreign = Vectord.Storage.Log.WalRecord.Add(2, [new Hnsw.VectorItem("theirs", [2, 2], "{\"by\":\"other\"}"u8.ToArray())]);
        Assert.True(await store.TryCreateAsync(Vectord.Storage.StorageKeys.Wal(name, generation, 2), foreign.Encode(), TestContext.Current.CancellationToken));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.AddAsync([new IndexItem("lost", [3, 3])]));
        Assert.Equal("the index was changed by another activation; retry", error.Message);
        Assert.Equal(["000000000001", "000000000002"], Files(Path.Combine(DataDirectory(name), "wal")));

        // The stale activation deactivates itself; the next one replays both writers' records.
        var info = await Eventually.ReadAsync(async () =>
        {
            try { return await grain.GetInfoAsync(); }
            catch (StorageUnavailableException) { return null; }
        }, i => i is not null, TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(2, info?.Length);
        Assert.Equal("""{"by":"other"}""", (await grain.GetItemAsync("theirs"))!.Metadata);
        Assert.Null(await grain.GetItemAsync("lost"));
        Assert.Equal(3, (await grain.AddAsync([new IndexItem("lost", [3, 3])])).Length);
    }
}
