using Azure.Storage.Blobs;
using Orleans.TestingHost;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>A 2-silo cluster on the <c>azureblob</c> backend against a real Azurite.</summary>
public sealed class AzuriteClusterFixture : IAsyncLifetime
{
    /// <summary>Container the cluster stores into.</summary>
    public const string ContainerName = "vectord-tests";

    /// <summary>The Azurite server.</summary>
    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The client's grain factory.</summary>
    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The silos' local vector cache (<c>Storage:CachePath</c>).</summary>
    public TempDirectory VectorCache { get; } = new("vectord-blob-cache");

    /// <summary>A direct client of the container, to inspect what is stored.</summary>
    public BlobContainerClient Container => new(Azurite.ConnectionString, ContainerName);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Cluster = await VectordCluster.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "azureblob",
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:Container"] = ContainerName,
            ["Storage:CachePath"] = VectorCache.Path,
        });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Azurite.StartAgainAsync();   // a test that stopped it must not leave the silos hanging on shutdown
            await VectordCluster.StopAsync(Cluster);
        }
        finally
        {
            await Azurite.DisposeAsync();
            VectorCache.Dispose();
        }
    }
}

/// <summary>The collection sharing one <see cref="AzuriteClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCluster : ICollectionFixture<AzuriteClusterFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "azurite cluster";
}

[Collection(AzuriteCluster.Name)]
public sealed class AzureBlobTests(AzuriteClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    private async Task<string[]> BlobsAsync(string name)
    {
        var names = new List<string>();
        await foreach (var blob in fixture.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"indexes/{name}/" }, TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }
        await foreach (var blob in fixture.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "grains/" }, TestContext.Current.CancellationToken))
        {
            if (blob.Name.Split('/').Contains(name)) { names.Add(blob.Name); }
        }
        return [.. names];
    }

    [Fact]
    public async Task Items_metadata_and_deletes_survive_reactivation_and_drop_removes_every_blob()
    {
        var name = TestData.Name("blob");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(8, Distance: IndexDistance.Euclidean));
        await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => grain.CreateAsync(new IndexSpec(8)));
        var items = TestData.Items(300, 8, seed: 3, metadata: i => i % 2 == 0 ? $"{{ \"i\" : {i} }}" : null);
        Assert.Equal(new AddResult(300, 300), await grain.AddAsync(items));
        Assert.Equal(new DeleteResult(2, 298), await grain.DeleteAsync(["item-0000", "item-0001"]));
        Assert.Equal("items[0]: dim mismatch (index=8, got=2)",
            (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.AddAsync([new IndexItem("x", [1, 2])]))).Message);
        var queries = TestData.Vectors(10, 8, seed: 5);
        var before = await Task.WhenAll(queries.Select(q => grain.SearchAsync(q, k: 5)));

        await VectordCluster.ReactivateAsync(fixture.Cluster, name);

        Assert.Equal(298, (await grain.GetInfoAsync()).Length);
        Assert.Null(await grain.GetItemAsync("item-0001"));
        Assert.Equal("{ \"i\" : 2 }", (await grain.GetItemAsync("item-0002"))!.Metadata);
        Assert.Null((await grain.GetItemAsync("item-0003"))!.Metadata);
        var after = await Task.WhenAll(queries.Select(q => grain.SearchAsync(q, k: 5)));
        Assert.Equal(before.Select(h => h.Select(x => x.Id).ToArray()), after.Select(h => h.Select(x => x.Id).ToArray()));
        Assert.Contains(name, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());

        Assert.NotEmpty(await BlobsAsync(name));
        await grain.DropAsync();
        Assert.Empty(await BlobsAsync(name));
        Assert.DoesNotContain(name, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => grain.GetInfoAsync());
    }

    [Fact]
    public async Task An_on_disk_index_writes_its_vector_file_from_blob_storage_at_each_activation()
    {
        var name = TestData.Name("blobdisk");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(24, Distance: IndexDistance.Euclidean, Quantization: IndexQuantization.Int8, OnDisk: true));
        var items = TestData.Items(800, 24, seed: 21);
        for (var b = 0; b < items.Length; b += 200) { await grain.AddAsync(items[b..(b + 200)]); }
        string[] Files() => [.. Directory.GetFiles(fixture.VectorCache.Path, "*.vectors", SearchOption.AllDirectories).Where(f => f.Contains(name, StringComparison.Ordinal))];
        var first = Assert.Single(Files());
        var query = TestData.Vectors(1, 24, seed: 22)[0];
        var before = await grain.SearchAsync(query, k: 10);

        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(items[123].Vector, (await grain.GetItemAsync(items[123].Id))!.Vector);
        Assert.Equal(before, await grain.SearchAsync(query, k: 10));
        Assert.NotEqual(first, Assert.Single(Files()));   // written again from the blobs, the old one deleted
        Assert.True(new FileInfo(Assert.Single(Files())).Length >= 4L * 24 * items.Length);

        await grain.DropAsync();
        Assert.Empty(Files());
    }

    [Fact]
    public async Task Snapshots_compact_the_log_in_blob_storage()
    {
        var name = TestData.Name("blobsnap");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(32, Distance: IndexDistance.Dot));
        for (var b = 0; b < 10; b++) { await grain.AddAsync(TestData.Items(100, 32, seed: b, prefix: $"b{b}-")); }
        static int Snapshots(string[] blobs) => blobs.Count(b => b.Contains("/snap/", StringComparison.Ordinal));
        static int Records(string[] blobs) => blobs.Count(b => b.Contains("/wal/", StringComparison.Ordinal));
        // The snapshot and the deletion of the records it covers run in the background, after the add that made it due.
        var blobs = await Eventually.ReadAsync(() => BlobsAsync(name), b => Snapshots(b) == 1 && Records(b) < 10,
            TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(1, Snapshots(blobs));
        Assert.InRange(Records(blobs), 0, 9);
        var query = TestData.Vectors(1, 32, seed: 50)[0];
        var before = await grain.SearchAsync(query, k: 10);

        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(1000, (await grain.GetInfoAsync()).Length);
        Assert.Equal(before, await grain.SearchAsync(query, k: 10));
    }

    [Fact]
    public async Task Storage_outage_fails_writes_with_503_leaves_memory_unchanged_and_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = TestData.Name("outage");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean));
        await grain.AddAsync(TestData.Items(20, 4, seed: 1));
        var query = new float[] { 0.1f, 0.2f, 0.3f, 0.4f };
        var before = await grain.SearchAsync(query, k: 20);

        await fixture.Azurite.StopAsync();
        try
        {
            var started = DateTime.UtcNow;
            await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.AddAsync([new IndexItem("new", [1, 1, 1, 1]), new IndexItem("item-0000", [9, 9, 9, 9])]));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "an outage must fail fast");
            await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.DeleteAsync(["item-0001"]));
            await Assert.ThrowsAsync<StorageUnavailableException>(() => Index(TestData.Name("outage-new")).CreateAsync(new IndexSpec(4)));

            // Memory is exactly as before the failed writes.
            Assert.Equal(20, (await grain.GetInfoAsync()).Length);
            Assert.Null(await grain.GetItemAsync("new"));
            Assert.Equal(TestData.Vectors(20, 4, seed: 1)[0], (await grain.GetItemAsync("item-0000"))!.Vector);
            Assert.NotNull(await grain.GetItemAsync("item-0001"));
            Assert.Equal(before, await grain.SearchAsync(query, k: 20));
        }
        finally
        {
            await fixture.Azurite.StartAgainAsync(ct);
        }

        // Storage is back: writes succeed again and storage agrees with memory.
        Assert.Equal(new AddResult(1, 21), await grain.AddAsync([new IndexItem("new", [1, 1, 1, 1])]));
        Assert.Equal(new DeleteResult(1, 20), await grain.DeleteAsync(["item-0001"]));
        var expected = await grain.SearchAsync(query, k: 30);
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(20, (await grain.GetInfoAsync()).Length);
        Assert.Equal(TestData.Vectors(20, 4, seed: 1)[0], (await grain.GetItemAsync("item-0000"))!.Vector);
        Assert.Equal(expected, await grain.SearchAsync(query, k: 30));
    }
}
