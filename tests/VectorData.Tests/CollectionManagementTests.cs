using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>Mirrors the conformance suite's CollectionManagementTests: ensure/exists/delete on a collection and on the
/// store, listing names, and ensuring twice.</summary>
public sealed class CollectionManagementTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task Collection_Ensure_Exists_Delete(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = node.Store(transport);
        var collection = store.GetCollection<string, Product>(Node.NewName("manage"));

        Assert.False(await collection.CollectionExistsAsync(ct));
        await collection.EnsureCollectionExistsAsync(ct);
        Assert.True(await collection.CollectionExistsAsync(ct));
        await collection.EnsureCollectionExistsAsync(ct);      // EnsureCollectionExists_twice_does_not_throw

        // The index has the model's dimension and distance.
        var info = await node.Grains.GetAsync(collection.Name);
        Assert.Equal((3, IndexDistance.Cosine), (info.Dimension, info.Distance));

        await collection.EnsureCollectionDeletedAsync(ct);
        Assert.False(await collection.CollectionExistsAsync(ct));
        await collection.EnsureCollectionDeletedAsync(ct);      // deleting a missing collection does nothing
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task A_created_index_has_the_stores_shards_and_replicas(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = node.NewStore(transport, new VectordVectorStoreOptions { Shards = 2, Replicas = 1 });
        using var refusing = node.NewStore(transport, new VectordVectorStoreOptions { Replicas = 2 });
        var collection = store.GetCollection<string, Product>(Node.NewName("copies"));
        var refused = refusing.GetCollection<string, Product>(Node.NewName("copies"));

        await collection.EnsureCollectionExistsAsync(ct);
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => refused.EnsureCollectionExistsAsync(ct));

        var info = await node.Grains.GetAsync(collection.Name);
        Assert.Equal((2, 1), (info.Shards, info.Replicas));
        // The node is one silo: a second copy of each shard has nowhere to go, so the count reached the service.
        Assert.IsType<InvalidIndexArgumentException>(error.InnerException);
        Assert.Contains("replicas must be at most the cluster's 1 active silo(s)", error.Message, StringComparison.Ordinal);
        Assert.False(await refused.CollectionExistsAsync(ct));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Store_CollectionExists_ListCollectionNames_EnsureCollectionDeleted(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = node.Store(transport);
        string name = Node.NewName("store");
        Assert.False(await store.CollectionExistsAsync(name, ct));
        await store.GetCollection<string, Product>(name).EnsureCollectionExistsAsync(ct);

        Assert.True(await store.CollectionExistsAsync(name, ct));
        Assert.Contains(name, await store.ListCollectionNamesAsync(ct).ToListAsync(ct));

        await store.EnsureCollectionDeletedAsync(name, ct);
        Assert.False(await store.CollectionExistsAsync(name, ct));
        Assert.DoesNotContain(name, await store.ListCollectionNamesAsync(ct).ToListAsync(ct));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Metadata_names_the_store_and_collection(Transport transport)
    {
        var store = node.Store(transport);
        string name = Node.NewName("meta");
        var collection = store.GetCollection<string, Product>(name);
        var metadata = collection.GetService(typeof(VectorStoreCollectionMetadata)) as VectorStoreCollectionMetadata;
        Assert.Equal(("vectord", name), (metadata?.VectorStoreSystemName, metadata?.CollectionName));
        Assert.Equal("vectord", (store.GetService(typeof(VectorStoreMetadata)) as VectorStoreMetadata)?.VectorStoreSystemName);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public void A_collection_name_the_index_cannot_have_is_refused(Transport transport)
    {
        var store = node.Store(transport);
        var error = Assert.Throws<ArgumentException>(() => store.GetCollection<string, Product>("no/slashes"));
        Assert.Contains("invalid index name", error.Message, StringComparison.Ordinal);
    }
}
