using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData;

/// <summary>Registers a <see cref="VectordVectorStore"/> as the application's <see cref="VectorStore"/>.</summary>
public static class VectordServiceCollectionExtensions
{
    /// <summary>The co-hosted store: direct grain calls through the <see cref="IGrainFactory"/> Orleans registers in a
    /// silo or a cluster client. Registered as a singleton, as <see cref="VectorStore"/> and
    /// <see cref="VectordVectorStore"/>.</summary>
    public static IServiceCollection AddVectordVectorStore(this IServiceCollection services, VectordVectorStoreOptions? options = null) =>
        services.AddStore(sp => new VectordVectorStore(sp.GetRequiredService<IGrainFactory>(), options));

    private static IServiceCollection AddStore(this IServiceCollection services, Func<IServiceProvider, VectordVectorStore> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(create);
        services.AddSingleton<VectorStore>(sp => sp.GetRequiredService<VectordVectorStore>());
        return services;
    }
}
