using System.Text.Json;
using Vectord.Grains.Catalog;
using Vectord.Storage;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The catalog of index names: kept in buckets, written together when changes arrive together, and moved
/// into buckets from the single document that earlier versions kept.</summary>
public sealed class CatalogTests
{
    private const string CatalogGrainType = "indexcatalog";

    [Fact]
    public async Task Concurrent_creates_and_drops_are_all_durable_and_each_name_is_stored_in_its_own_bucket()
    {
        using var directory = new TempDirectory("vectord-catalog");
        var storage = FileStorage(directory.Path);
        var names = Enumerable.Range(0, 150).Select(i => TestData.Name($"cat{i:d3}")).ToArray();
        var dropped = names.Where((_, i) => i % 5 == 0).ToHashSet(StringComparer.Ordinal);
        var kept = names.Where(n => !dropped.Contains(n)).ToHashSet(StringComparer.Ordinal);

        var cluster = await VectordCluster.StartAsync(storage);
        try
        {
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
                await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).CreateAsync(new IndexSpec(2)));
            await Parallel.ForEachAsync(dropped, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
                await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).DropAsync());

            var listed = await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
            Assert.Equal([.. listed.Order(StringComparer.Ordinal)], listed);
            Assert.Superset(kept, listed.ToHashSet());
            Assert.Empty(listed.Intersect(dropped));
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        // Each bucket holds exactly the names that hash to it, and together they hold the catalog.
        var store = new FileIndexBlobStore(directory.Path);
        var stored = new List<string>();
        for (var bucket = 0; bucket < IndexCatalogGrain.BucketCount; bucket++)
        {
            var inBucket = await ReadNamesAsync(store, IndexCatalogGrain.BucketStateName(bucket));
            Assert.All(inBucket, name => Assert.Equal(bucket, IndexCatalogGrain.BucketOf(name)));
            stored.AddRange(inBucket);
        }
        Assert.Superset(kept, stored.ToHashSet());
        Assert.Empty(stored.Intersect(dropped));

        cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var listed = await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
            Assert.Superset(kept, listed.ToHashSet());
            Assert.Empty(listed.Intersect(dropped));
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task A_catalog_kept_in_one_document_is_moved_into_buckets_and_its_indexes_still_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-catalog-move");
        var storage = FileStorage(directory.Path);
        var names = Enumerable.Range(0, 12).Select(i => TestData.Name($"old{i:d2}")).ToArray();

        var cluster = await VectordCluster.StartAsync(storage);
        try
        {
            foreach (var name in names)
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
                await grain.CreateAsync(new IndexSpec(2, Distance: IndexDistance.Euclidean));
                await grain.AddAsync([new IndexItem("a", [1, 2])]);
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        // Storage as a version before buckets left it: every name in the one document "catalog", no buckets.
        var store = new FileIndexBlobStore(directory.Path);
        var all = new List<string>();
        for (var bucket = 0; bucket < IndexCatalogGrain.BucketCount; bucket++)
        {
            var key = Key(IndexCatalogGrain.BucketStateName(bucket));
            var document = await store.ReadDocumentAsync(key, ct);
            if (document is null) { continue; }
            all.AddRange(JsonSerializer.Deserialize<CatalogState>(document.Content.Span)!.Names);
            await store.DeleteDocumentAsync(key, document.ETag, ct);
        }
        Assert.Superset(names.ToHashSet(), all.ToHashSet());
        await store.WriteDocumentAsync(Key("catalog"), JsonSerializer.SerializeToUtf8Bytes(new CatalogState { Names = all }), null, ct);

        cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var listed = await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
            Assert.Equal(all.Order(StringComparer.Ordinal), listed);
            foreach (var name in names)
            {
                var hits = await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).SearchAsync([1, 2], k: 1);
                Assert.Equal("a", Assert.Single(hits).Id);
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        Assert.Null(await store.ReadDocumentAsync(Key("catalog"), ct));
        var moved = new List<string>();
        for (var bucket = 0; bucket < IndexCatalogGrain.BucketCount; bucket++)
        {
            moved.AddRange(await ReadNamesAsync(store, IndexCatalogGrain.BucketStateName(bucket)));
        }
        Assert.Equal(all.Order(StringComparer.Ordinal), moved.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> FileStorage(string path) =>
        new() { ["Storage:Provider"] = "file", ["Storage:Path"] = path };

    private static string Key(string stateName) => StorageKeys.GrainState(CatalogGrainType, "0", stateName);

    private static async Task<string[]> ReadNamesAsync(FileIndexBlobStore store, string stateName)
    {
        var document = await store.ReadDocumentAsync(Key(stateName), TestContext.Current.CancellationToken);
        return document is null ? [] : [.. JsonSerializer.Deserialize<CatalogState>(document.Content.Span)!.Names];
    }
}
