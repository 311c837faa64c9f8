using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary><c>services.AddVectordVectorStore(...)</c> registers a working <see cref="VectorStore"/>.</summary>
public sealed class RegistrationTests(Node node)
{
    [Fact]
    public async Task The_co_hosted_store_uses_the_registered_grain_factory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = new ServiceCollection().AddSingleton(node.Grains).AddVectordVectorStore().BuildServiceProvider();
        var store = services.GetRequiredService<VectorStore>();
        Assert.Same(store, services.GetRequiredService<VectordVectorStore>());

        var collection = store.GetCollection<string, Product>(Node.NewName("di"));
        await collection.EnsureCollectionExistsAsync(ct);
        Assert.Equal(3, (await node.Grains.GetAsync(collection.Name)).Dimension);
    }

    [Fact]
    public async Task The_http_store_registered_with_an_endpoint_and_token_reaches_the_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = new ServiceCollection().AddVectordVectorStore(node.Server.BaseAddress, Node.Token).BuildServiceProvider();
        var collection = services.GetRequiredService<VectorStore>().GetCollection<string, Product>(Node.NewName("di-http"));
        await collection.EnsureCollectionExistsAsync(ct);
        Assert.Equal(3, (await node.Grains.GetAsync(collection.Name)).Dimension);
    }

    [Fact]
    public async Task A_store_over_a_callers_client_uses_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = node.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Node.Token);
        using var store = new VectordVectorStore(new Vectord.Client.VectordClient(http));
        string name = Node.NewName("client");
        await store.GetCollection<string, Product>(name).EnsureCollectionExistsAsync(ct);
        Assert.True(await store.CollectionExistsAsync(name, ct));
    }

    [Fact]
    public async Task A_wrong_token_fails_as_a_store_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = new VectordVectorStore(node.Server.BaseAddress, "wrong");
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => store.CollectionExistsAsync(Node.NewName("auth"), ct));
        Assert.Equal(401, ((VectordException)error.InnerException!).Status);
    }
}
