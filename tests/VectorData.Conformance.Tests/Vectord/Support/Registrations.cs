using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Vectord.VectorData.Conformance.Tests.Support;

/// <summary>Registers the connector in a service collection the way an application would, for the node of a test
/// store: over HTTP with the node's address and token, or over grain calls with the silo's grain factory in the
/// container.</summary>
public static class Registrations
{
    /// <summary>The store, over <paramref name="store"/>'s transport.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services, VectordTestStore store) =>
        store.Transport == Transport.Http
            ? services.AddVectordVectorStore(store.Node.Server.BaseAddress, ConformanceNode.Token)
            : services.AddVectordVectorStore().AddSingleton(store.Node.Grains);

    /// <summary>One collection, over <paramref name="store"/>'s transport.</summary>
    [RequiresDynamicCode("Maps records by reflection.")]
    [RequiresUnreferencedCode("Maps records by reflection.")]
    public static IServiceCollection AddCollection<TKey, TRecord>(this IServiceCollection services, VectordTestStore store, string name)
        where TKey : notnull
        where TRecord : class =>
        store.Transport == Transport.Http
            ? services.AddVectordCollection<TKey, TRecord>(name, store.Node.Server.BaseAddress, ConformanceNode.Token)
            : services.AddVectordCollection<TKey, TRecord>(name).AddSingleton(store.Node.Grains);
}
