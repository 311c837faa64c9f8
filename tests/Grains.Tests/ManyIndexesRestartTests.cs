using Microsoft.Extensions.DependencyInjection;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>A silo full of small indexes restarts gracefully, and every one comes back with its items.</summary>
public sealed class ManyIndexesRestartTests
{
    /// <summary>Indexes on the silo: half the 10,000 of the bench's <c>tenants</c> figure. Creating an index and
    /// adding its items is three writes flushed to disk (manifest, catalog, log record; about 7 ms on 2 cores), so
    /// 10,000 took 110 s to 3 minutes here with the graceful stop's snapshots; 5,000 keep the test near a minute.</summary>
    private const int Indexes = 5_000;
    private const int Items = 20;
    private const int Dimension = 32;
    private const int Callers = 32;

    [Fact]
    public async Task Every_small_index_answers_with_its_items_after_a_graceful_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-tenants");
        var storage = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = directory.Path,
            ["Storage:SnapshotOnDeactivate"] = "true",
        };
        var tenants = Enumerable.Range(0, Indexes).ToArray();

        var cluster = await VectordCluster.StartAsync(storage, silos: 1);
        try
        {
            await Parallel.ForEachAsync(tenants, Calls(ct), async (t, _) =>
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(Name(t));
                await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean));
                Assert.Equal(Items, (await grain.AddAsync(TestData.Items(Items, Dimension, seed: t))).Length);
            });
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        cluster = await VectordCluster.StartAsync(storage, silos: 1);
        try
        {
            // Every index answers whether the start-up preload or this search loads it first.
            await Parallel.ForEachAsync(tenants, Calls(ct), async (t, _) =>
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(Name(t));
                var items = TestData.Items(Items, Dimension, seed: t);
                var probe = items[t % Items];
                var hits = await grain.SearchAsync(probe.Vector, k: Items);
                Assert.Equal(probe.Id, hits[0].Id);
                Assert.Equal(0f, hits[0].Distance);
                Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), hits.Select(h => h.Id).Order(StringComparer.Ordinal));
            });
            var silo = cluster.GetSiloServiceProvider(cluster.Primary!.SiloAddress);
            Assert.Equal(Indexes + 1, await silo.GetRequiredService<IndexPreloader>().Completion.WaitAsync(TimeSpan.FromSeconds(60), ct));
            // Every index is held by this silo after the restart: ours and the co-hosted service's.
            Assert.Equal(Indexes + 1, silo.GetRequiredService<IndexMetrics>().Parts().Count);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }

    private static string Name(int tenant) => $"tenant-{tenant:D5}";

    private static ParallelOptions Calls(CancellationToken ct) => new() { MaxDegreeOfParallelism = Callers, CancellationToken = ct };
}
