using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Vectord.VectorData.Transport;

namespace Vectord.VectorData;

/// <summary>
/// Vectord as a Microsoft.Extensions.VectorData store: every index is a collection. A service co-hosted in the
/// cluster reaches it by direct grain calls (<see cref="VectordVectorStore(IGrainFactory, VectordVectorStoreOptions?)"/>).
/// </summary>
public sealed class VectordVectorStore : VectorStore
{
    private static readonly VectorStoreCollectionDefinition AnyIndex = new()
    {
        Properties = [new VectorStoreKeyProperty("Key", typeof(string)), new VectorStoreVectorProperty("Vector", typeof(float[]), 1)],
    };

    private readonly IVectordTransport _transport;
    private readonly VectordVectorStoreOptions _options;
    private readonly IDisposable? _owned;
    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = StoreErrors.SystemName };

    /// <summary>A store calling the index grains directly through <paramref name="grains"/> (a silo's or a cluster
    /// client's grain factory): the co-hosted path, no HTTP.</summary>
    public VectordVectorStore(IGrainFactory grains, VectordVectorStoreOptions? options = null)
        : this(new GrainTransport(grains ?? throw new ArgumentNullException(nameof(grains))), options, owned: null)
    {
    }

    private VectordVectorStore(IVectordTransport transport, VectordVectorStoreOptions? options, IDisposable? owned)
    {
        _transport = transport;
        _options = options ?? new();
        _owned = owned;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is a dictionary: use <see cref="GetDynamicCollection"/>.</exception>
    [RequiresDynamicCode("Maps records by reflection; use GetDynamicCollection for Dictionary<string, object?> records.")]
    [RequiresUnreferencedCode("Maps records by reflection; use GetDynamicCollection for Dictionary<string, object?> records.")]
    public override VectordCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        if (typeof(TRecord) == typeof(Dictionary<string, object?>))
        {
            throw new ArgumentException(Microsoft.Extensions.VectorData.ProviderServices.VectorDataStrings.GetCollectionWithDictionaryNotSupported);
        }
        var model = new VectordModelBuilder().Build(typeof(TRecord), typeof(TKey), definition, _options.EmbeddingGenerator);
        return new VectordCollection<TKey, TRecord>(_transport, name, model, _options.Shards);
    }

    /// <inheritdoc/>
    public override VectordDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var model = new VectordModelBuilder().BuildDynamic(definition, _options.EmbeddingGenerator);
        return new VectordDynamicCollection(_transport, name, model, _options.Shards);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = await StoreErrors.RunAsync(null, "ListCollectionNames", () => _transport.ListNamesAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var name in names)
        {
            yield return name;
        }
    }

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        GetDynamicCollection(name, AnyIndex).CollectionExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default) =>
        GetDynamicCollection(name, AnyIndex).EnsureCollectionDeletedAsync(cancellationToken);

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) { _owned?.Dispose(); }
        base.Dispose(disposing);
    }
}
