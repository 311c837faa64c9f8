using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vectord.Grains.Hosting;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The whole cluster restarts on the same storage.</summary>
public sealed class RestartTests
{
    /// <summary>Keyword and hybrid searches (both fusions), which the restarted parts answer from text indexes rebuilt
    /// from the snapshot's metadata.</summary>
    private static IEnumerable<SearchQuery> TextQueries(float[][] vectors) =>
    [
        new SearchQuery([], K: 5, Text: new TextQuery("fox runs")),
        new SearchQuery([], K: 5, Text: new TextQuery("stones"), Filter: ItemFilter.All(Where.Range("n", gte: 100))),
        new SearchQuery(vectors[0], K: 5, Text: new TextQuery("slow river")),
        new SearchQuery(vectors[1], K: 5, Text: new TextQuery("cats sleeping"), Fusion: FusionKind.Weighted, Alpha: 0.3f),
    ];

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
                // The one-part index gets its text field after its items, the sharded one at create.
                IndexTextField[] body = [new IndexTextField("body", IndexTextLanguage.English)];
                await grain.CreateAsync(new IndexSpec(8, Distance: IndexDistance.Euclidean, Shards: name == names[0] ? 1 : 2,
                    TextFields: name == names[0] ? null : body));
                await grain.AddAsync(TestData.Items(200, 8, seed: 1, metadata: i => $$"""{"n":{{i}},"body":"{{TestData.Words(i)}}"}"""));
                if (name == names[0]) { Assert.Equal(body, (await grain.AddTextFieldsAsync(body)).TextFields!); }
                await grain.DeleteAsync(["item-0007"]);
                foreach (var q in queries) { before.Add(await grain.SearchAsync(q, k: 5)); }
                foreach (var q in TextQueries(queries)) { before.Add(await grain.SearchAsync(q, ct)); }
            }

            // The idle age of index grains comes from Storage:IdleMinutes.
            var collection = cluster.GetSiloServiceProvider(cluster.Primary!.SiloAddress).GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
            Assert.Equal(TimeSpan.FromMinutes(7), collection.ClassSpecificCollectionAge[typeof(VectorIndexGrain).FullName!]);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        // The graceful stop wrote a snapshot covering the whole log, so the restart replays nothing (the one-part index's
        // files; the other's parts lie a level down, one directory each).
        foreach (var name in names[..1])
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
                Assert.Equal($$"""{"n":8,"body":"{{TestData.Words(8)}}"}""", (await grain.GetItemAsync("item-0008"))!.Metadata);
                foreach (var q in queries) { after.Add(await grain.SearchAsync(q, k: 5)); }
                foreach (var q in TextQueries(queries)) { after.Add(await grain.SearchAsync(q, ct)); }
            }
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++) { Assert.Equal(before[i], after[i]); }
            Assert.All(before, hits => Assert.NotEmpty(hits));
            Assert.Superset(names.ToHashSet(), (await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync()).ToHashSet());
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }
}
