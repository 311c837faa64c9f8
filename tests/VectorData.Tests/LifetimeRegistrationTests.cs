using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>The DI registrations of stores and collections, as Microsoft.Extensions.VectorData's conformance suite holds
/// connectors to them: every lifetime, unkeyed and keyed, the concrete type and the abstractions, an embedding
/// generator from the container resolved with the store or collection, and argument checks; and a keyed collection
/// over HTTP that reaches the node.</summary>
public sealed class LifetimeRegistrationTests(Node node)
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");

    public static TheoryData<ServiceLifetime, object?> LifetimesAndKeys()
    {
        var data = new TheoryData<ServiceLifetime, object?>();
        foreach (var lifetime in new[] { ServiceLifetime.Singleton, ServiceLifetime.Scoped, ServiceLifetime.Transient })
        {
            data.Add(lifetime, null);
            data.Add(lifetime, "key");
            data.Add(lifetime, 8);
        }
        return data;
    }

    private static IEnumerable<Func<IServiceCollection, object?, ServiceLifetime, IServiceCollection>> Stores(IGrainFactory grains) =>
    [
        (s, key, lifetime) => key is null ? s.AddVectordVectorStore(Endpoint, "token", lifetime: lifetime) : s.AddKeyedVectordVectorStore(key, Endpoint, "token", lifetime: lifetime),
        (s, key, lifetime) => key is null ? s.AddVectordVectorStore(c => c.Endpoint = Endpoint, lifetime: lifetime) : s.AddKeyedVectordVectorStore(key, c => c.Endpoint = Endpoint, lifetime: lifetime),
        (s, key, lifetime) => (key is null ? s.AddVectordVectorStore(lifetime: lifetime) : s.AddKeyedVectordVectorStore(key, lifetime: lifetime)).AddSingleton(grains),
    ];

    private static IEnumerable<Func<IServiceCollection, object?, string, ServiceLifetime, IServiceCollection>> Collections(IGrainFactory grains) =>
    [
        (s, key, name, lifetime) => key is null
            ? s.AddVectordCollection<string, Product>(name, Endpoint, lifetime: lifetime)
            : s.AddKeyedVectordCollection<string, Product>(key, name, Endpoint, lifetime: lifetime),
        (s, key, name, lifetime) => (key is null
            ? s.AddVectordCollection<string, Product>(name, lifetime: lifetime)
            : s.AddKeyedVectordCollection<string, Product>(key, name, lifetime: lifetime)).AddSingleton(grains),
    ];

    private static T Resolve<T>(IServiceProvider services, object? key)
        where T : notnull => key is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(key);

    /// <summary>Asserts the lifetime of <typeparamref name="T"/>: resolved twice in one scope and once in another.</summary>
    private static void AssertLifetime<T>(ServiceProvider services, ServiceLifetime lifetime, object? key)
        where T : class
    {
        T first, second, third;
        using (var scope = services.CreateScope()) { first = Resolve<T>(scope.ServiceProvider, key); }
        using (var scope = services.CreateScope())
        {
            second = Resolve<T>(scope.ServiceProvider, key);
            third = Resolve<T>(scope.ServiceProvider, key);
        }
        switch (lifetime)
        {
            case ServiceLifetime.Singleton:
                Assert.Same(first, second);
                Assert.Same(second, third);
                break;
            case ServiceLifetime.Scoped:
                Assert.NotSame(first, second);
                Assert.Same(second, third);
                break;
            default:
                Assert.NotSame(first, second);
                Assert.NotSame(second, third);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void Stores_are_registered_with_the_lifetime_and_key_asked_as_themselves_and_as_VectorStore(ServiceLifetime lifetime, object? key)
    {
        foreach (var register in Stores(node.Grains))
        {
            using var services = register(new ServiceCollection(), key, lifetime).BuildServiceProvider();
            AssertLifetime<VectordVectorStore>(services, lifetime, key);
            AssertLifetime<VectorStore>(services, lifetime, key);
            if (key is not null) { Assert.Null(services.GetService<VectorStore>()); }
        }
    }

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void Collections_are_registered_with_the_lifetime_and_key_asked_as_themselves_and_their_abstractions(ServiceLifetime lifetime, object? key)
    {
        foreach (var register in Collections(node.Grains))
        {
            using var services = register(new ServiceCollection(), key, "products", lifetime).BuildServiceProvider();
            AssertLifetime<VectordCollection<string, Product>>(services, lifetime, key);
            AssertLifetime<VectorStoreCollection<string, Product>>(services, lifetime, key);
            AssertLifetime<IVectorSearchable<Product>>(services, lifetime, key);
            Assert.Equal("products", Resolve<VectorStoreCollection<string, Product>>(services, key).Name);
            AssertLifetime<IKeywordHybridSearchable<Product>>(services, lifetime, key);
        }
    }

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void An_embedding_generator_in_the_container_is_resolved_with_the_collection_not_before(ServiceLifetime lifetime, object? key)
    {
        foreach (var register in Collections(node.Grains))
        {
            var resolved = false;
            var services = new ServiceCollection().AddSingleton<IEmbeddingGenerator>(_ =>
            {
                resolved = true;
                return null!;
            });
            register(services, key, "products", lifetime);
            Assert.False(resolved);
            using var provider = services.BuildServiceProvider();
            using var scope = provider.CreateScope();
            Assert.NotNull(Resolve<VectordCollection<string, Product>>(scope.ServiceProvider, key));
            Assert.True(resolved);
        }
    }

    [Fact]
    public void Null_services_and_null_or_empty_collection_names_are_refused()
    {
        foreach (var register in Stores(node.Grains))
        {
            Assert.Throws<ArgumentNullException>(() => register(null!, null, ServiceLifetime.Singleton));
            Assert.Throws<ArgumentNullException>(() => register(null!, "key", ServiceLifetime.Singleton));
        }
        foreach (var register in Collections(node.Grains))
        {
            Assert.Throws<ArgumentNullException>(() => register(null!, "key", "products", ServiceLifetime.Singleton));
            Assert.Throws<ArgumentNullException>(() => register(new ServiceCollection(), null, null!, ServiceLifetime.Singleton));
            Assert.Throws<ArgumentException>(() => register(new ServiceCollection(), "key", "", ServiceLifetime.Singleton));
        }
    }

    [Fact]
    public async Task Keyed_collections_over_http_reach_their_own_node_with_their_own_token()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = Node.NewName("keyed");
        await using var services = new ServiceCollection()
            .AddKeyedVectordCollection<string, Product>("good", name, node.Server.BaseAddress, Node.Token, lifetime: ServiceLifetime.Scoped)
            .AddKeyedVectordCollection<string, Product>("bad", name, node.Server.BaseAddress, "wrong", lifetime: ServiceLifetime.Scoped)
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var good = scope.ServiceProvider.GetRequiredKeyedService<VectorStoreCollection<string, Product>>("good");
        await good.EnsureCollectionExistsAsync(ct);
        Assert.Equal(3, (await node.Grains.GetAsync(name)).Dimension);
        var bad = scope.ServiceProvider.GetRequiredKeyedService<VectorStoreCollection<string, Product>>("bad");
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => bad.CollectionExistsAsync(ct));
        Assert.Equal(401, ((VectordException)error.InnerException!).Status);
    }
}
