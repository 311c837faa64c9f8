using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.VectorData.Tests.Node))]

namespace Vectord.VectorData.Tests;

/// <summary>How a test reaches the node.</summary>
public enum Transport
{
    /// <summary>Direct grain calls through the silo's grain factory (co-hosted).</summary>
    Grains,

    /// <summary>The HTTP API on loopback, with the node's bearer token.</summary>
    Http,
}

/// <summary>Every transport, as theory data.</summary>
public sealed class BothTransports : TheoryData<Transport>
{
    /// <summary>Lists them.</summary>
    public BothTransports() => AddRange(Enum.GetValues<Transport>());
}

/// <summary>One real node for the whole assembly: a silo with the HTTP gateway on a free loopback port and file
/// storage in a temporary directory, with auth on. Tests give their collections unique names.</summary>
public sealed class Node() : NodeFixture(new() { ["Auth:Tokens:0"] = Token })
{
    /// <summary>The bearer token the node accepts.</summary>
    public const string Token = "vectordata-tests";

    private readonly Dictionary<Transport, VectordVectorStore> _stores = [];

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The node's shared store over <paramref name="transport"/> (not to be disposed by tests).</summary>
    public VectordVectorStore Store(Transport transport)
    {
        lock (_stores)
        {
            if (!_stores.TryGetValue(transport, out var store))
            {
                _stores[transport] = store = NewStore(transport);
            }
            return store;
        }
    }

    /// <summary>A new store over <paramref name="transport"/> with these options; the caller disposes it.</summary>
    public VectordVectorStore NewStore(Transport transport, VectordVectorStoreOptions? options = null) => transport switch
    {
        Transport.Http => new VectordVectorStore(Server.BaseAddress, Token, options),
        _ => new VectordVectorStore(Grains, options),
    };

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values) { store.Dispose(); }
        await base.DisposeAsync();
    }
}
