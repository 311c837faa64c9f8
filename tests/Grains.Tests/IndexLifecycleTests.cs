using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>Create, info, list and drop, and the validation of names and parameters.</summary>
[Collection(FileCluster.Name)]
public sealed class IndexLifecycleTests(FileClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    [Fact]
    public async Task Create_applies_defaults_and_info_reports_them()
    {
        var name = TestData.Name("create");
        var created = await Index(name).CreateAsync(new IndexSpec(8));
        Assert.Equal(new IndexInfo(name, 8, Hnsw.HnswOptions.DefaultM, Hnsw.HnswOptions.DefaultEfSearch, IndexDistance.Cosine, 0), created);
        Assert.Equal(created, await Index(name).GetInfoAsync());

        var other = TestData.Name("create");
        var explicitSpec = await Index(other).CreateAsync(new IndexSpec(3, M: 4, EfSearch: 500, Distance: IndexDistance.Dot));
        Assert.Equal(new IndexInfo(other, 3, 4, 500, IndexDistance.Dot, 0), explicitSpec);
    }

    [Fact]
    public async Task Create_on_an_existing_name_conflicts_and_keeps_the_index()
    {
        var name = TestData.Name("dup");
        await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await Index(name).AddAsync([new IndexItem("a", [1, 2, 3, 4])]);
        await Index(name).SearchAsync([1, 2, 3, 4], k: 1);
        await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => Index(name).CreateAsync(new IndexSpec(9)));
        var info = await Index(name).GetInfoAsync();
        Assert.Equal((4, IndexDistance.Euclidean, 1), (info.Dimension, info.Distance, info.Length));
        // The refused create left the part in memory as it was: not loaded again (its count of searches goes on).
        Assert.Equal(1, Assert.Single(await Index(name).GetShardsAsync()).Searches);
    }

    [Fact]
    public async Task Missing_index_is_not_found_for_every_call()
    {
        var grain = Index(TestData.Name("missing"));
        var calls = new Func<Task>[]
        {
            grain.GetInfoAsync,
            grain.DropAsync,
            () => grain.AddAsync([new IndexItem("a", [1])]),
            () => grain.DeleteAsync(["a"]),
            () => grain.GetItemAsync("a"),
            () => grain.SearchAsync([1f]),
            () => grain.ListItemsAsync(),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<IndexNotFoundException>(call);
            Assert.Equal("index not found", error.Message);
        }
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("_under")]
    [InlineData("a/b")]
    [InlineData("../../etc")]
    [InlineData("a b")]
    [InlineData("a\\b")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("é")]
    public async Task Invalid_names_are_rejected_by_every_call_and_nothing_is_stored(string name)
    {
        var grain = Index(name);
        var calls = new Func<Task>[]
        {
            () => grain.CreateAsync(new IndexSpec(4)),
            grain.GetInfoAsync,
            grain.DropAsync,
            () => grain.AddAsync([new IndexItem("a", [1, 2, 3, 4])]),
            () => grain.SearchAsync([1, 2, 3, 4]),
            () => grain.MergeIntoAsync("other", false),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(call);
            Assert.Equal(IndexNames.InvalidMessage, error.Message);
        }
        Assert.DoesNotContain(name, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
        Assert.Empty(StoredPaths(name));
    }

    [Fact]
    public async Task Name_length_limits()
    {
        var longest = "n" + new string('x', 127);
        Assert.Equal(128, (await Index(longest).CreateAsync(new IndexSpec(2))).Name.Length);
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => Index(longest + "x").CreateAsync(new IndexSpec(2)));
        Assert.Equal(IndexNames.InvalidMessage, error.Message);
        await Index(longest).DropAsync();
    }

    [Theory]
    [InlineData(-1, 0, 0, IndexDistance.Cosine, "dimension must be between 1 and 65536, or 0 for an index without vectors")]
    [InlineData(65537, 0, 0, IndexDistance.Cosine, "dimension must be between 1 and 65536, or 0 for an index without vectors")]
    [InlineData(4, 1, 0, IndexDistance.Cosine, "m must be 0 (default) or between 2 and 128")]
    [InlineData(4, 129, 0, IndexDistance.Cosine, "m must be 0 (default) or between 2 and 128")]
    [InlineData(4, -3, 0, IndexDistance.Cosine, "m must be 0 (default) or between 2 and 128")]
    [InlineData(4, 0, -1, IndexDistance.Cosine, "ef_search must be 0 (default) or between 1 and 10000")]
    [InlineData(4, 0, 10001, IndexDistance.Cosine, "ef_search must be 0 (default) or between 1 and 10000")]
    [InlineData(4, 0, 0, (IndexDistance)7, "unknown distance")]
    public async Task Invalid_specs_are_rejected_and_nothing_is_created(int dimension, int m, int ef, IndexDistance distance, string message)
    {
        var name = TestData.Name("spec");
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => Index(name).CreateAsync(new IndexSpec(dimension, m, ef, distance)));
        Assert.Equal(message, error.Message);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(name).GetInfoAsync());
        Assert.DoesNotContain(name, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
    }

    [Fact]
    public async Task Boundary_specs_are_accepted()
    {
        Assert.Equal(65536, (await Index(TestData.Name("wide")).CreateAsync(new IndexSpec(65536, 128, 10000))).Dimension);
        Assert.Equal(2, (await Index(TestData.Name("narrow")).CreateAsync(new IndexSpec(1, 2, 1, IndexDistance.Euclidean))).M);
    }

    [Fact]
    public async Task List_is_sorted_and_drop_removes_the_index_its_storage_and_its_catalog_entry()
    {
        var names = new[] { TestData.Name("list-b"), TestData.Name("list-a"), TestData.Name("list-c") };
        foreach (var name in names)
        {
            await Index(name).CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
            await Index(name).AddAsync(TestData.Items(50, 4, seed: 1));
        }
        var listed = await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.All(names, n => Assert.Contains(n, listed));
        var dropped = names[0];
        Assert.NotEmpty(StoredPaths(dropped));

        await Index(dropped).DropAsync();

        Assert.DoesNotContain(dropped, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
        Assert.Empty(StoredPaths(dropped));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(dropped).GetInfoAsync());
        await VectordCluster.ReactivateAsync(fixture.Cluster, dropped);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(dropped).GetInfoAsync());
        Assert.Equal(50, (await Index(names[1]).GetInfoAsync()).Length);

        // The name is free again and starts empty.
        var again = await Index(dropped).CreateAsync(new IndexSpec(2));
        Assert.Equal(0, again.Length);
        Assert.Null(await Index(dropped).GetItemAsync("item-0000"));
        await VectordCluster.ReactivateAsync(fixture.Cluster, dropped);
        Assert.Equal(0, (await Index(dropped).GetInfoAsync()).Length);
    }

    private IEnumerable<string> StoredPaths(string name) =>
        Directory.EnumerateFileSystemEntries(fixture.StoragePath, "*", SearchOption.AllDirectories)
            .Where(p => p.Split(Path.DirectorySeparatorChar).Contains(name));

    [Fact]
    public async Task A_name_that_is_no_index_keeps_no_activation()
    {
        var names = Enumerable.Range(0, 20).Select(_ => TestData.Name("ghost")).ToArray();
        foreach (var name in names) { await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(name).GetInfoAsync()); }

        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var alive = await Eventually.ReadAsync(async () =>
        {
            var activations = await management.GetDetailedGrainStatistics(null, null, TestContext.Current.CancellationToken);
            return activations.Count(a => names.Any(n => a.GrainId.ToString().EndsWith("/" + n, StringComparison.Ordinal)));
        }, count => count == 0, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, alive);
    }
}
