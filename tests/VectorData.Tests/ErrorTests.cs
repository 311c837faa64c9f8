using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>Failures of the service reach the caller as <see cref="VectorStoreException"/> naming the collection and
/// operation, with the service's message; a rejected write changes nothing.</summary>
public sealed class ErrorTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task Operations_on_a_missing_collection_fail_naming_it(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<string, Product>(Node.NewName("missing"));

        var upsert = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(Products.Make(1)[0], ct));
        Assert.Equal((collection.Name, "Upsert", "vectord"), (upsert.CollectionName, upsert.OperationName, upsert.VectorStoreSystemName));
        Assert.Contains("not found", upsert.Message, StringComparison.OrdinalIgnoreCase);

        var search = await Assert.ThrowsAsync<VectorStoreException>(async () =>
            await collection.SearchAsync(new[] { 1f, 0f, 0f }, 3, cancellationToken: ct).ToListAsync(ct));
        Assert.Equal("Search", search.OperationName);
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync("p000", cancellationToken: ct));
        Assert.False(await collection.CollectionExistsAsync(ct));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task A_dimension_mismatch_is_refused_and_changes_nothing(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<string, Product>(Node.NewName("dims"));
        await collection.EnsureCollectionExistsAsync(ct);
        var products = Products.Make(3);
        products[2].Embedding = new[] { 1f, 2f };

        var upsert = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(products, ct));
        Assert.Contains("dim", upsert.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await node.Grains.GetAsync(collection.Name)).Length);

        var search = await Assert.ThrowsAsync<VectorStoreException>(async () =>
            await collection.SearchAsync(new[] { 1f, 0f }, 3, cancellationToken: ct).ToListAsync(ct));
        Assert.Contains("dim", search.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task More_than_1000_results_are_refused_before_any_call(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<string, Product>(Node.NewName("top"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await collection.SearchAsync(new[] { 1f, 0f, 0f }, 990, new() { Skip = 20 }, ct).ToListAsync(ct));
    }
}
