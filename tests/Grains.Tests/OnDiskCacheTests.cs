using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>
/// <c>on_disk</c> indexes keep their vectors in files under <c>Storage:CachePath</c>: the files are caches written from
/// storage, and one deleted or damaged under a live silo loses nothing, through a reload and through a restart.
/// </summary>
public sealed class OnDiskCacheTests
{
    private const int Dim = 16;

    private static string[] VectorFiles(string cache, string index) =>
        Directory.Exists(cache)
            ? [.. Directory.GetFiles(cache, "*.vectors", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}{index}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Overwrites a whole file with other bytes, as a faulty disk or a stray process would, keeping its length.</summary>
    private static void Damage(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var junk = new byte[stream.Length];
        new Random(7).NextBytes(junk);
        stream.Write(junk);
    }

    private static async Task AssertWholeAsync(IVectorIndexGrain grain, IndexItem[] items, float[][] queries, SearchHit[][] expected)
    {
        Assert.Equal(items.Length, (await grain.GetInfoAsync()).Length);
        foreach (var item in items.Where((_, i) => i % 37 == 0))
        {
            var stored = await grain.GetItemAsync(item.Id);
            Assert.NotNull(stored);
            Assert.Equal(item.Vector, stored.Vector);
            Assert.Equal(item.Metadata, stored.Metadata);
        }
        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(expected[q].Select(h => (h.Id, h.Distance)), (await grain.SearchAsync(queries[q], k: 10)).Select(h => (h.Id, h.Distance)));
        }
    }

    [Fact]
    public async Task Vector_files_deleted_or_damaged_under_a_live_silo_lose_nothing_through_a_reload_and_a_restart()
    {
        using var directory = new TempDirectory("vectord-ondisk");
        var cache = directory.Combine("vector-cache");
        var storage = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = directory.Combine("data"),
            ["Storage:CachePath"] = cache,
            ["Storage:SnapshotOnDeactivate"] = "true",
            ["Storage:SnapshotMinLogBytes"] = "40000",   // snapshots in the background while the items go in
        };
        var lost = TestData.Name("lost");
        var damaged = TestData.Name("damaged");
        var items = TestData.Items(1500, Dim, seed: 11, metadata: i => i % 2 == 0 ? $"{{\"i\":{i}}}" : null);
        var more = TestData.Items(300, Dim, seed: 12, prefix: "more-");
        var queries = TestData.Vectors(8, Dim, seed: 13);
        SearchHit[][] expectedLost, expectedDamaged;
        string[] firstFiles;

        var cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var lostGrain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(lost);
            var damagedGrain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(damaged);
            Assert.True((await lostGrain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, Quantization: IndexQuantization.Int8, OnDisk: true))).OnDisk);
            await damagedGrain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, Shards: 2, OnDisk: true));
            for (var b = 0; b < items.Length; b += 100)
            {
                await lostGrain.AddAsync(items[b..(b + 100)]);
                await damagedGrain.AddAsync(items[b..(b + 100)]);
            }
            expectedDamaged = await Task.WhenAll(queries.Select(q => damagedGrain.SearchAsync(q, k: 10)));
            Assert.Single(VectorFiles(cache, lost));
            Assert.Equal(2, VectorFiles(cache, damaged).Length);   // one per shard
            firstFiles = [.. VectorFiles(cache, lost), .. VectorFiles(cache, damaged)];

            // Lost: the running part keeps its mapping; it grows, answers and snapshots as before.
            File.Delete(Assert.Single(VectorFiles(cache, lost)));
            await lostGrain.AddAsync(more);
            Assert.Equal(more[5].Vector, (await lostGrain.GetItemAsync(more[5].Id))!.Vector);
            expectedLost = await Task.WhenAll(queries.Select(q => lostGrain.SearchAsync(q, k: 10)));
            Assert.Equal(items.Length + more.Length, (await lostGrain.GetInfoAsync()).Length);

            // Damaged: a get meets it, the part is let go (503, retry), and the next call loads it again from storage
            // into a new file.
            foreach (var file in VectorFiles(cache, damaged)) { Damage(file); }
            var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => damagedGrain.GetItemAsync(items[3].Id));
            Assert.Contains("vector file", refused.Message, StringComparison.Ordinal);
            // Each shard meets its damage at its first get, then serves again from storage.
            foreach (var item in items.Where((_, i) => i % 37 == 0))
            {
                var reloaded = await Eventually.ReadAsync(async () =>
                {
                    try { return await damagedGrain.GetItemAsync(item.Id); }
                    catch (StorageUnavailableException) { return null; }
                }, i => i is not null, TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
                Assert.Equal(item.Vector, reloaded!.Vector);
            }
            await AssertWholeAsync(damagedGrain, items, queries, expectedDamaged);

            // Damaged again, now right before a graceful stop: the stop's snapshot must not be written from it.
            foreach (var file in VectorFiles(cache, damaged)) { Damage(file); }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var lostGrain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(lost);
            var damagedGrain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(damaged);
            Assert.True((await lostGrain.GetInfoAsync()).OnDisk);
            await AssertWholeAsync(lostGrain, [.. items, .. more], queries, expectedLost);
            await AssertWholeAsync(damagedGrain, items, queries, expectedDamaged);
            // Every file now is one the restarted silos wrote from storage.
            string[] now = [.. VectorFiles(cache, lost), .. VectorFiles(cache, damaged)];
            Assert.Equal(3, now.Length);
            Assert.Empty(now.Intersect(firstFiles));
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }
}
