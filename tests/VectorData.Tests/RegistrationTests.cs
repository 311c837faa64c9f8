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
}
