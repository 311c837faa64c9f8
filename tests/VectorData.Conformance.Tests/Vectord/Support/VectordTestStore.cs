using Microsoft.Extensions.VectorData;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.Support;

/// <summary>The suite's view of Vectord over one transport. Both stores use the same node
/// (<see cref="ConformanceNode"/>); their collection names carry the transport, so the two never share a
/// collection when their tests run side by side.</summary>
#pragma warning disable CA1001 // The base class owns the store it disposes when the last fixture stops.
public sealed class VectordTestStore : TestStore
#pragma warning restore CA1001
{
    private ConformanceNode? _node;

    private VectordTestStore(Transport transport) => Transport = transport;

    /// <summary>Over HTTP.</summary>
    public static VectordTestStore Http { get; } = new(Transport.Http);

    /// <summary>Over grain calls.</summary>
    public static VectordTestStore Grains { get; } = new(Transport.Grains);

    /// <summary>The store of <paramref name="transport"/>.</summary>
    public static VectordTestStore Of(Transport transport) => transport == Transport.Http ? Http : Grains;

    /// <summary>The transport the stores of this test store use.</summary>
    public Transport Transport { get; }

    /// <summary>The node (once started).</summary>
    public ConformanceNode Node => _node ?? throw new InvalidOperationException("Not initialized");

    /// <summary>Vectord indexes are HNSW graphs: the connector accepts <see cref="IndexKind.Hnsw"/> (or none) and
    /// refuses other index kinds, the suite's default <see cref="IndexKind.Flat"/> included.</summary>
    public override string DefaultIndexKind => IndexKind.Hnsw;

    /// <summary>Under cosine similarity (the default distance function) the index stores unit vectors, so vectors read
    /// back are the normalised ones, not those upserted: tests can only check that a vector came back.</summary>
    public override bool VectorsComparable => false;

    /// <inheritdoc/>
    public override string AdjustCollectionName(string baseName) =>
        $"{baseName}-{(Transport == Transport.Http ? "http" : "grains")}";

    /// <summary>A new store over this transport with <paramref name="options"/>; the caller disposes it.</summary>
    public VectordVectorStore NewStore(VectordVectorStoreOptions? options = null) => Transport switch
    {
        Transport.Http => new VectordVectorStore(Node.Server.BaseAddress, ConformanceNode.Token, options),
        _ => new VectordVectorStore(Node.Grains, options),
    };

    /// <inheritdoc/>
    protected override async Task StartAsync()
    {
        _node = await ConformanceNode.StartedAsync();
        DefaultVectorStore = NewStore();
    }
}
