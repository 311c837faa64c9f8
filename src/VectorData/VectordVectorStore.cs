using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Vectord.Client;
using Vectord.VectorData.Transport;

namespace Vectord.VectorData;

/// <summary>
/// Vectord as a Microsoft.Extensions.VectorData store: every index is a collection. It reaches the service over HTTP
/// (<see cref="VectordVectorStore(Uri, string?, VectordVectorStoreOptions?)"/>,
/// <see cref="VectordVectorStore(VectordClient, VectordVectorStoreOptions?)"/>) or, in a service co-hosted in the
/// cluster, by direct grain calls (<see cref="VectordVectorStore(IGrainFactory, VectordVectorStoreOptions?)"/>).
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

    /// <summary>A store over HTTP at <paramref name="endpoint"/> (e.g. <c>http://127.0.0.1:8080</c>), with a bearer
    /// token when the service checks tokens. The store owns its <see cref="HttpClient"/> and disposes it; for retries
    /// of reads on 503, use a client registered with <c>services.AddVectordClient</c>.</summary>
    public VectordVectorStore(Uri endpoint, string? apiKey = null, VectordVectorStoreOptions? options = null)
        : this(CreateHttpClient(endpoint, apiKey), options)
    {
    }

    /// <summary>A store over HTTP through <paramref name="client"/>, which the caller keeps.</summary>
    public VectordVectorStore(VectordClient client, VectordVectorStoreOptions? options = null)
        : this(new HttpTransport(client ?? throw new ArgumentNullException(nameof(client))), options, owned: null)
    {
    }

    /// <summary>A store calling the index grains directly through <paramref name="grains"/> (a silo's or a cluster
    /// client's grain factory): the co-hosted path, no HTTP.</summary>
    public VectordVectorStore(IGrainFactory grains, VectordVectorStoreOptions? options = null)
        : this(new GrainTransport(grains ?? throw new ArgumentNullException(nameof(grains))), options, owned: null)
    {
    }

    private VectordVectorStore(HttpClient http, VectordVectorStoreOptions? options)
        : this(new HttpTransport(new VectordClient(http)), options, owned: http)
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
        return new VectordCollection<TKey, TRecord>(_transport, name, model, _options.Shards, _options.Replicas);
    }

    /// <inheritdoc/>
    public override VectordDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var model = new VectordModelBuilder().BuildDynamic(definition, _options.EmbeddingGenerator);
        return new VectordDynamicCollection(_transport, name, model, _options.Shards, _options.Replicas);
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

    private static HttpClient CreateHttpClient(Uri endpoint, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        // Relative routes resolve under the endpoint's path only when it ends with a slash.
        var http = new HttpClient
        {
            BaseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return http;
    }
}
