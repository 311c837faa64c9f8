using Orleans.Storage;
using Vectord.Grains.Hosting;
using Vectord.Storage;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>The grains' state on both backends (the <c>storaged</c> provider over an <see cref="IIndexBlobStore"/>):
/// writes and clears conditional on the version read. The stores themselves are tested in Vectord.Storage.Tests.</summary>
[Collection(AzuriteCluster.Name)]
public sealed class StorageBackendTests(AzuriteClusterFixture azurite) : IDisposable
{
    private readonly TempDirectory _directory = new("vectord-store");

    public void Dispose() => _directory.Dispose();

    private IIndexBlobStore Store(string provider) => VectordSiloBuilderExtensions.CreateStore(provider == "file"
        ? new VectordStorageOptions { Provider = "file", Path = _directory.Path }
        : new VectordStorageOptions { Provider = "azureblob", ConnectionString = azurite.Azurite.ConnectionString, Container = $"store-{Guid.NewGuid():N}" });

    [Theory]
    [InlineData("file")]
    [InlineData("azureblob")]
    public async Task Grain_state_writes_are_conditional_on_the_etag(string provider)
    {
        var storage = new StoragedGrainStorage(Store(provider));
        var id = GrainId.Create("vectorindex", "etag-test");
        var first = new GrainState<IndexManifest>(new IndexManifest());
        await storage.ReadStateAsync("manifest", id, first);
        Assert.False(first.RecordExists);
        first.State!.Generation = "one";
        await storage.WriteStateAsync("manifest", id, first);

        var second = new GrainState<IndexManifest>(new IndexManifest());
        await storage.ReadStateAsync("manifest", id, second);
        Assert.Equal("one", second.State!.Generation);
        second.State!.Generation = "two";
        await storage.WriteStateAsync("manifest", id, second);

        // The first holder's version is stale now: a second activation cannot overwrite or clear silently.
        first.State!.Generation = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("manifest", id, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("manifest", id, first));
        var fresh = new GrainState<IndexManifest>(new IndexManifest());
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("manifest", id, fresh));

        var check = new GrainState<IndexManifest>(new IndexManifest());
        await storage.ReadStateAsync("manifest", id, check);
        Assert.Equal("two", check.State!.Generation);
        await storage.ClearStateAsync("manifest", id, second);
        await storage.ReadStateAsync("manifest", id, check);
        Assert.False(check.RecordExists);
    }
}
