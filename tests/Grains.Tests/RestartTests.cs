using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vectord.Grains.Hosting;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The whole cluster restarts on the same storage.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_cluster_preloads_every_index_with_its_items()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-restart");
        var storage = new Dictionary<string, string> { ["Storage:Provider"] = "file", ["Storage:Path"] = directory.Path, ["Storage:IdleMinutes"] = "7", ["Storage:SnapshotOnDeactivate"] = "true" };
        var names = new[] { TestData.Name("restart-a"), TestData.Name("restart-b") };
        var queries = TestData.Vectors(5, 8, seed: 2);
        var before = new List<SearchHit[]>();

        var cluster = await VectordCluster.StartAsync(storage);
        try
        {
            foreach (var name in names)
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
                await grain.CreateAsync(new IndexSpec(8, Distance: IndexDistance.Euclidean));
                await grain.AddAsync(TestData.Items(200, 8, seed: 1, metadata: i => $"[{i}]"));
                await grain.DeleteAsync(["item-0007"]);
                foreach (var q in queries) { before.Add(await grain.SearchAsync(q, k: 5)); }
            }

            // The idle age of index grains comes from Storage:IdleMinutes.
            var collection = cluster.GetSiloServiceProvider(cluster.Primary!.SiloAddress).GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
            Assert.Equal(TimeSpan.FromMinutes(7), collection.ClassSpecificCollectionAge[typeof(VectorIndexGrain).FullName!]);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        // The graceful stop wrote a snapshot of each index covering its whole log, so the restart replays nothing.
        foreach (var name in names)
        {
            var data = Assert.Single(Directory.GetDirectories(Path.Combine(directory.Path, "indexes", name)));
            Assert.Single(Directory.EnumerateFiles(Path.Combine(data, "snap")), f => !Path.GetFileName(f).StartsWith('.'));
            Assert.DoesNotContain(Directory.Exists(Path.Combine(data, "wal")) ? Directory.EnumerateFiles(Path.Combine(data, "wal")) : [],
                f => !Path.GetFileName(f).StartsWith('.'));
        }

        cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var loaded = 0;
            foreach (var silo in cluster.GetActiveSilos())
            {
                var preloader = cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IndexPreloader>();
                loaded += await preloader.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            Assert.True(loaded >= names.Length + 1, $"{loaded} indexes preloaded");   // ours and the co-hosted service's

            var after = new List<SearchHit[]>();
            foreach (var name in names)
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
                Assert.Equal(199, (await grain.GetInfoAsync()).Length);
                Assert.Null(await grain.GetItemAsync("item-0007"));
                Assert.Equal("[8]", (await grain.GetItemAsync("item-0008"))!.Metadata);
                foreach (var q in queries) { after.Add(await grain.SearchAsync(q, k: 5)); }
            }
            Assert.Equal(before, after);
            Assert.Superset(names.ToHashSet(), (await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync()).ToHashSet());
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }
}
