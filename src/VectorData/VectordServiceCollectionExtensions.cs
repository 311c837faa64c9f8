using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Vectord.Client;

namespace Vectord.VectorData;

/// <summary>
/// Registers a <see cref="VectordVectorStore"/> as the application's <see cref="VectorStore"/>, or one collection of it
/// as a <see cref="VectorStoreCollection{TKey, TRecord}"/>, over direct grain calls (the <see cref="IGrainFactory"/>
/// Orleans registers in a silo or a cluster client) or over HTTP (a <see cref="VectordClient"/> registered with the
/// standard resilience handler). Each takes a <see cref="ServiceLifetime"/> (singleton by default), and the
/// <c>AddKeyed…</c> forms a service key. Options given as <c>null</c> take the <see cref="IEmbeddingGenerator"/>
/// registered in the container, when there is one, resolved when the store or collection is.
/// </summary>
public static class VectordServiceCollectionExtensions
{
    private const string ReflectionMessage = "Maps records by reflection; register a dynamic collection by hand for Dictionary<string, object?> records.";

    /// <summary>The co-hosted store: direct grain calls through the <see cref="IGrainFactory"/> in the container.
    /// Registered as <see cref="VectordVectorStore"/> and <see cref="VectorStore"/>.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, VectordVectorStoreOptions? options = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        services.AddKeyedVectordVectorStore(null, options, lifetime);

    /// <summary>As <see cref="AddVectordVectorStore(IServiceCollection, VectordVectorStoreOptions?, ServiceLifetime)"/>,
    /// as keyed services under <paramref name="serviceKey"/> (null: unkeyed).</summary>
    public static IServiceCollection AddKeyedVectordVectorStore(this IServiceCollection services, object? serviceKey,
        VectordVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddStore(serviceKey, lifetime, sp => new VectordVectorStore(sp.GetRequiredService<IGrainFactory>(), WithGenerator(sp, options)));
    }

    /// <summary>The store over HTTP at <paramref name="endpoint"/>, with a bearer token when the service checks tokens:
    /// <see cref="AddVectordVectorStore(IServiceCollection, Action{VectordClientOptions}, VectordVectorStoreOptions?, ServiceLifetime)"/>
    /// with these two settings.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, Uri endpoint, string? apiKey = null,
        VectordVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        services.AddKeyedVectordVectorStore(null, endpoint, apiKey, options, lifetime);

    /// <summary>As <see cref="AddVectordVectorStore(IServiceCollection, Uri, string?, VectordVectorStoreOptions?, ServiceLifetime)"/>,
    /// as keyed services under <paramref name="serviceKey"/> (null: unkeyed), with a client of its own.</summary>
    public static IServiceCollection AddKeyedVectordVectorStore(this IServiceCollection services, object? serviceKey, Uri endpoint,
        string? apiKey = null, VectordVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return services.AddKeyedVectordVectorStore(serviceKey, client => (client.Endpoint, client.ApiKey) = (endpoint, apiKey), options, lifetime);
    }

    /// <summary>The store over HTTP through the <see cref="VectordClient"/> that <c>services.AddVectordClient</c>
    /// registers with <paramref name="configureClient"/> (an <see cref="IHttpClientFactory"/> client with the standard
    /// resilience handler).</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, Action<VectordClientOptions> configureClient,
        VectordVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        services.AddKeyedVectordVectorStore(null, configureClient, options, lifetime);

    /// <summary>As <see cref="AddVectordVectorStore(IServiceCollection, Action{VectordClientOptions}, VectordVectorStoreOptions?, ServiceLifetime)"/>,
    /// as keyed services under <paramref name="serviceKey"/> (null: unkeyed), through the client
    /// <c>services.AddKeyedVectordClient</c> registers under the same key.</summary>
    public static IServiceCollection AddKeyedVectordVectorStore(this IServiceCollection services, object? serviceKey,
        Action<VectordClientOptions> configureClient, VectordVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureClient);
        services.AddKeyedVectordClient(serviceKey, configureClient);
        return services.AddStore(serviceKey, lifetime, sp => new VectordVectorStore(Client(sp, serviceKey), WithGenerator(sp, options)));
    }

    /// <summary>One collection of the co-hosted store (direct grain calls), registered as
    /// <see cref="VectordCollection{TKey, TRecord}"/>, <see cref="VectorStoreCollection{TKey, TRecord}"/>,
    /// <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The collection's index name.</param>
    /// <param name="options">The store's options (embedding generator, shards and replicas of an index it creates).</param>
    /// <param name="definition">The record definition, when <typeparamref name="TRecord"/> carries no attributes.</param>
    /// <param name="lifetime">The services' lifetime.</param>
    [RequiresDynamicCode(ReflectionMessage)]
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static IServiceCollection AddVectordCollection<TKey, TRecord>(this IServiceCollection services, string name,
        VectordVectorStoreOptions? options = null, VectorStoreCollectionDefinition? definition = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        services.AddKeyedVectordCollection<TKey, TRecord>(null, name, options, definition, lifetime);

    /// <summary>As <see cref="AddVectordCollection{TKey, TRecord}(IServiceCollection, string, VectordVectorStoreOptions?, VectorStoreCollectionDefinition?, ServiceLifetime)"/>,
    /// as keyed services under <paramref name="serviceKey"/> (null: unkeyed).</summary>
    [RequiresDynamicCode(ReflectionMessage)]
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static IServiceCollection AddKeyedVectordCollection<TKey, TRecord>(this IServiceCollection services, object? serviceKey, string name,
        VectordVectorStoreOptions? options = null, VectorStoreCollectionDefinition? definition = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return services.AddCollection<TKey, TRecord>(serviceKey, lifetime,
            sp => new VectordVectorStore(sp.GetRequiredService<IGrainFactory>(), WithGenerator(sp, options)).GetCollection<TKey, TRecord>(name, definition));
    }

    /// <summary>One collection over HTTP at <paramref name="endpoint"/> (a <see cref="VectordClient"/> registered under
    /// the same key, with the standard resilience handler), registered as
    /// <see cref="AddVectordCollection{TKey, TRecord}(IServiceCollection, string, VectordVectorStoreOptions?, VectorStoreCollectionDefinition?, ServiceLifetime)"/> registers it.</summary>
    [RequiresDynamicCode(ReflectionMessage)]
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static IServiceCollection AddVectordCollection<TKey, TRecord>(this IServiceCollection services, string name, Uri endpoint,
        string? apiKey = null, VectordVectorStoreOptions? options = null, VectorStoreCollectionDefinition? definition = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        services.AddKeyedVectordCollection<TKey, TRecord>(null, name, endpoint, apiKey, options, definition, lifetime);

    /// <summary>As <see cref="AddVectordCollection{TKey, TRecord}(IServiceCollection, string, Uri, string?, VectordVectorStoreOptions?, VectorStoreCollectionDefinition?, ServiceLifetime)"/>,
    /// as keyed services under <paramref name="serviceKey"/> (null: unkeyed).</summary>
    [RequiresDynamicCode(ReflectionMessage)]
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static IServiceCollection AddKeyedVectordCollection<TKey, TRecord>(this IServiceCollection services, object? serviceKey, string name,
        Uri endpoint, string? apiKey = null, VectordVectorStoreOptions? options = null, VectorStoreCollectionDefinition? definition = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(endpoint);
        services.AddKeyedVectordClient(serviceKey, client => (client.Endpoint, client.ApiKey) = (endpoint, apiKey));
        return services.AddCollection<TKey, TRecord>(serviceKey, lifetime,
            sp => new VectordVectorStore(Client(sp, serviceKey), WithGenerator(sp, options)).GetCollection<TKey, TRecord>(name, definition));
    }

    private static VectordClient Client(IServiceProvider services, object? serviceKey) =>
        serviceKey is null ? services.GetRequiredService<VectordClient>() : services.GetRequiredKeyedService<VectordClient>(serviceKey);

    /// <summary><paramref name="options"/>, or when they set no embedding generator a copy with the one the container
    /// holds, if any.</summary>
    private static VectordVectorStoreOptions? WithGenerator(IServiceProvider services, VectordVectorStoreOptions? options) =>
        options?.EmbeddingGenerator is not null ? options
            : services.GetService<IEmbeddingGenerator>() is { } generator
                ? new VectordVectorStoreOptions { EmbeddingGenerator = generator, Shards = options?.Shards ?? 0, Replicas = options?.Replicas ?? 0 }
                : options;

    private static IServiceCollection AddStore(this IServiceCollection services, object? serviceKey, ServiceLifetime lifetime,
        Func<IServiceProvider, VectordVectorStore> create)
    {
        services.Add(new ServiceDescriptor(typeof(VectordVectorStore), serviceKey, (sp, _) => create(sp), lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStore), serviceKey, (sp, key) => Resolve<VectordVectorStore>(sp, key), lifetime));
        return services;
    }

    private static IServiceCollection AddCollection<TKey, TRecord>(this IServiceCollection services, object? serviceKey, ServiceLifetime lifetime,
        Func<IServiceProvider, VectordCollection<TKey, TRecord>> create)
        where TKey : notnull
        where TRecord : class
    {
        services.Add(new ServiceDescriptor(typeof(VectordCollection<TKey, TRecord>), serviceKey, (sp, _) => create(sp), lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStoreCollection<TKey, TRecord>), serviceKey,
            (sp, key) => Resolve<VectordCollection<TKey, TRecord>>(sp, key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IVectorSearchable<TRecord>), serviceKey,
            (sp, key) => Resolve<VectordCollection<TKey, TRecord>>(sp, key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IKeywordHybridSearchable<TRecord>), serviceKey,
            (sp, key) => Resolve<VectordCollection<TKey, TRecord>>(sp, key), lifetime));
        return services;
    }

    private static T Resolve<T>(IServiceProvider services, object? serviceKey)
        where T : notnull =>
        serviceKey is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(serviceKey);
}
