using System.Text;
using Vectord.Storage;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The catalog of index names: the names of the stored manifests, followed in memory between reads, written
/// nowhere of its own.</summary>
public sealed class CatalogTests
{
    private const string CatalogGrainType = "indexcatalog";
    private const string IndexGrainType = "vectorindex";

    [Fact]
    public async Task Concurrent_creates_and_drops_are_listed_as_they_complete_and_again_after_a_restart()
    {
        using var directory = new TempDirectory("vectord-catalog");
        // Reads from storage every few tenths of a second, so that many changes land while a read is under way.
        var storage = Storage(directory.Path, refreshSeconds: 0.05);
        var names = Enumerable.Range(0, 150).Select(i => TestData.Name($"cat{i:d3}")).ToArray();
        var dropped = names.Where((_, i) => i % 5 == 0).ToHashSet(StringComparer.Ordinal);
        var kept = names.Where(n => !dropped.Contains(n)).ToHashSet(StringComparer.Ordinal);

        var cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var catalog = cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0);
            using var listing = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var lister = Task.Run(async () =>
            {
                while (!listing.IsCancellationRequested) { await catalog.ListNamesAsync(); }
            }, TestContext.Current.CancellationToken);
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
                await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).CreateAsync(new IndexSpec(2)));
            await Parallel.ForEachAsync(dropped, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
                await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).DropAsync());
            await listing.CancelAsync();
            await lister;

            var listed = await catalog.ListNamesAsync();
            Assert.Equal([.. listed.Order(StringComparer.Ordinal)], listed);
            Assert.Superset(kept, listed.ToHashSet());
            Assert.Empty(listed.Intersect(dropped));
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }

        // The catalog wrote nothing: the names are those of the manifests.
        var store = new FileIndexBlobStore(directory.Path);
        Assert.Empty(await store.ListAsync(StorageKeys.GrainStates(CatalogGrainType), TestContext.Current.CancellationToken));

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
    public async Task A_change_the_catalog_was_not_told_of_is_read_from_the_manifests_at_its_next_read()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-catalog-untold");
        var store = new FileIndexBlobStore(directory.Path);
        string a = TestData.Name("a"), b = TestData.Name("b"), c = TestData.Name("c");
        var cluster = await VectordCluster.StartAsync(Storage(directory.Path, refreshSeconds: 0.2));
        try
        {
            foreach (var name in new[] { a, b })
            {
                await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).CreateAsync(new IndexSpec(2));
            }
            var catalog = cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0);
            Assert.Superset(new HashSet<string> { a, b }, (await catalog.ListNamesAsync()).ToHashSet());

            // As a drop whose silo died between its manifest's deletion and its call to the catalog, and a create
            // whose silo died between its manifest's write and its call.
            var manifestB = StorageKeys.GrainState(IndexGrainType, b, "manifest");
            var stored = await store.ReadDocumentAsync(manifestB, ct);
            await store.DeleteDocumentAsync(manifestB, stored!.ETag, ct);
            await store.WriteDocumentAsync(StorageKeys.GrainState(IndexGrainType, c, "manifest"), stored.Content, null, ct);

            var listed = await Eventually.ReadAsync(catalog.ListNamesAsync, names => !names.Contains(b), TimeSpan.FromSeconds(20), ct);
            Assert.Contains(a, listed);
            Assert.Contains(c, listed);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task Catalog_documents_of_earlier_versions_are_not_read_and_are_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-catalog-old");
        var storage = Storage(directory.Path, refreshSeconds: 30);
        var names = Enumerable.Range(0, 4).Select(i => TestData.Name($"old{i}")).ToArray();
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

        // What earlier versions kept: one document of names, then buckets; here naming an index that does not exist.
        var store = new FileIndexBlobStore(directory.Path);
        var ghost = Encoding.UTF8.GetBytes("""{"Names":["ghost"]}""");
        foreach (var state in new[] { "catalog", "catalog-00", "catalog-3f" })
        {
            await store.WriteDocumentAsync(StorageKeys.GrainState(CatalogGrainType, "0", state), ghost, null, ct);
        }

        cluster = await VectordCluster.StartAsync(storage);
        try
        {
            var listed = await cluster.GrainFactory.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
            Assert.Superset(names.ToHashSet(), listed.ToHashSet());
            Assert.DoesNotContain("ghost", listed);
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
        Assert.Empty(await store.ListAsync(StorageKeys.GrainStates(CatalogGrainType), ct));
    }

    private static Dictionary<string, string> Storage(string path, double refreshSeconds) => new()
    {
        ["Storage:Provider"] = "file",
        ["Storage:Path"] = path,
        ["Storage:CatalogRefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
