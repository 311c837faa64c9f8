using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Vectord.Client;

namespace Vectord.VectorData;

/// <summary>Registers a <see cref="VectordVectorStore"/> as the application's <see cref="VectorStore"/>, over direct grain
/// calls or over HTTP.</summary>
public static class VectordServiceCollectionExtensions
{
    /// <summary>The co-hosted store: direct grain calls through the <see cref="IGrainFactory"/> Orleans registers in a
    /// silo or a cluster client. Registered as a singleton, as <see cref="VectorStore"/> and
    /// <see cref="VectordVectorStore"/>.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, VectordVectorStoreOptions? options = null) =>
        services.AddStore(sp => new VectordVectorStore(sp.GetRequiredService<IGrainFactory>(), options));

    /// <summary>The store over HTTP at <paramref name="endpoint"/>, with a bearer token when the service checks
    /// tokens: <see cref="AddVectordVectorStore(IServiceCollection, Action{VectordClientOptions}, VectordVectorStoreOptions?)"/>
    /// with these two settings.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, Uri endpoint, string? apiKey = null,
        VectordVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return services.AddVectordVectorStore(client => (client.Endpoint, client.ApiKey) = (endpoint, apiKey), options);
    }

    /// <summary>The store over HTTP through the <see cref="VectordClient"/> that <c>services.AddVectordClient</c>
    /// registers with <paramref name="configureClient"/> (an <see cref="IHttpClientFactory"/> client with the standard
    /// resilience handler). The singleton store keeps the client it is created with.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, Action<VectordClientOptions> configureClient,
        VectordVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configureClient);
        services.AddVectordClient(configureClient);
        return services.AddStore(sp => new VectordVectorStore(sp.GetRequiredService<VectordClient>(), options));
    }

    private static IServiceCollection AddStore(this IServiceCollection services, Func<IServiceProvider, VectordVectorStore> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(create);
        services.AddSingleton<VectorStore>(sp => sp.GetRequiredService<VectordVectorStore>());
        return services;
    }
}
