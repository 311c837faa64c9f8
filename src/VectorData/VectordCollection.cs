using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Vectord.VectorData.Transport;

namespace Vectord.VectorData;

/// <summary>
/// A Vectord index seen as an MEVD collection of <typeparamref name="TRecord"/>: the collection's name is the index
/// name, each record one item (key → id, data properties → metadata JSON, the vector → the item's vector). Obtain it
/// from <see cref="VectordVectorStore.GetCollection{TKey, TRecord}"/>.
/// </summary>
/// <typeparam name="TKey"><see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>
/// (<see cref="object"/> for the dynamic collection).</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// Search returns at most 1,000 results (<c>top + Skip</c>); under cosine the index stores unit vectors, so vectors
/// read back are normalised. Records are retrieved by filter in key order (ordinal order of the item ids), or in the
/// order of <c>OrderBy</c> (up to 10,000 records deep: <c>top + Skip</c>). Data properties marked
/// <c>IsFullTextIndexed</c> are the index's text fields, searched by <see cref="HybridSearchAsync"/> (BM25 fused with
/// the vector search by reciprocal rank; the score is the fused score).
/// </remarks>
#pragma warning disable CA1711 // MEVD names its collections "...Collection".
public class VectordCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
#pragma warning restore CA1711
    where TKey : notnull
    where TRecord : class
{
    private const int MaxResults = IndexLimits.MaxK;
    private readonly IVectordTransport _transport;
    private readonly CollectionModel _model;
    private readonly RecordMapper<TRecord> _mapper;
    private readonly IndexSpec _spec;
    private readonly VectorStoreCollectionMetadata _metadata;

    internal VectordCollection(IVectordTransport transport, string name, CollectionModel model, int shards, int replicas)
    {
        if (!IndexNames.IsValid(name)) { throw new ArgumentException(IndexNames.InvalidMessage, nameof(name)); }
        _transport = transport;
        _model = model;
        _mapper = new RecordMapper<TRecord>(model);
        Name = name;
        // A model without a vector property is an index whose items carry none (dimension 0); one with several, an
        // index with named vectors, named by their storage names.
        var vector = model.VectorProperties.Count == 1 ? model.VectorProperty : null;
        IndexTextField[] textFields = [.. model.DataProperties.Where(p => p.IsFullTextIndexed).Select(p => new IndexTextField(p.StorageName))];
        NamedVector[]? named = model.VectorProperties.Count > 1
            ? [.. model.VectorProperties.Select(p => new NamedVector(p.StorageName, p.Dimensions, Distances.ToIndex(p.DistanceFunction)))]
            : null;
        _spec = new IndexSpec(vector?.Dimensions ?? 0, Distance: Distances.ToIndex(vector?.DistanceFunction), Shards: shards,
            Replicas: replicas, TextFields: textFields.Length == 0 ? null : textFields, Vectors: named);
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = StoreErrors.SystemName, CollectionName = name };
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Run("CollectionExists", async () => await _transport.GetInfoAsync(Name, cancellationToken).ConfigureAwait(false) is not null);

    /// <inheritdoc/>
    /// <remarks>An existing index is kept as it is, whatever its parameters.</remarks>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionExists", () => _transport.CreateAsync(Name, _spec, cancellationToken));

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionDeleted", () => _transport.DropAsync(Name, cancellationToken));

    /// <inheritdoc/>
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await foreach (var record in GetAsync([key], options, cancellationToken).ConfigureAwait(false))
        {
            return record;
        }
        return null;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        bool vectors = WantVectors(options?.IncludeVectors ?? false);
        foreach (var chunk in keys.Select(k => ItemIds.Format(k)).Distinct(StringComparer.Ordinal).Chunk(MaxResults))
        {
            var items = await ItemsByIdAsync(chunk, vectors, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return _mapper.FromItem(item.Id, vectors ? item : null, item.Metadata);
            }
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        var itemFilter = new FilterTranslator().Translate(filter, _model);
        bool vectors = WantVectors(options.IncludeVectors);
        if (options.OrderBy?.Invoke(new()).Values is { Count: > 0 } sorts)
        {
            if ((long)top + options.Skip > IndexLimits.MaxOrderedWindow)
            {
                throw new ArgumentOutOfRangeException(nameof(top), $"top + Skip is {(long)top + options.Skip}; Vectord orders at most {IndexLimits.MaxOrderedWindow} records");
            }
            OrderKey[] keys = [.. sorts.Select(s => new OrderKey(_model.GetDataOrKeyProperty(s.PropertySelector) switch
            {
                DataPropertyModel data => data.StorageName,
                var other => throw new NotSupportedException($"Vectord orders records by data properties; '{other.ModelName}' is not one"),
            }, !s.Ascending))];
            for (int offset = options.Skip, end = options.Skip + top; offset < end; offset += MaxResults)
            {
                var ordered = new ItemQuery(itemFilter, Math.Min(MaxResults, end - offset), null, vectors, keys, offset);
                var page = await Run("Query", () => _transport.QueryAsync(Name, ordered, cancellationToken)).ConfigureAwait(false);
                foreach (var item in page.Items)
                {
                    yield return _mapper.FromItem(item.Id, vectors ? item : null, item.Metadata);
                }
                if (page.Items.Length < ordered.Limit) { yield break; }
            }
            yield break;
        }
        int skip = options.Skip, left = top;
        string? after = null;
        do
        {
            var query = new ItemQuery(itemFilter, Math.Min(MaxResults, skip + left), after, vectors);
            var page = await Run("Query", () => _transport.QueryAsync(Name, query, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                if (skip > 0) { skip--; continue; }
                yield return _mapper.FromItem(item.Id, vectors ? item : null, item.Metadata);
                if (--left == 0) { yield break; }
            }
            after = page.Next;
        }
        while (after is not null);
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string[] ids = [.. keys.Select(k => ItemIds.Format(k))];
        if (ids.Length > 0)
        {
            await Run("Delete", () => _transport.DeleteAsync(Name, ids, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>The records are sent in as many calls as the limits of one request need (at most 10,000 items and
    /// well under the 64 MiB body cap each). Each call is applied whole or not at all; when one fails, the calls
    /// before it stay applied, and repeating the upsert is safe.</remarks>
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<TRecord> ?? [.. records];
        if (list.Count == 0) { return; }
        var generated = new Dictionary<VectorPropertyModel, GeneratedEmbeddings<Embedding<float>>>();
        foreach (var vectorProperty in _model.VectorProperties.Where(p => !VectordModelBuilder.IsNativeVectorType(p.Type)))
        {
            generated[vectorProperty] = (GeneratedEmbeddings<Embedding<float>>)await vectorProperty.GenerateEmbeddingsAsync(
                list.Select(vectorProperty.GetValueAsObject), cancellationToken).ConfigureAwait(false);
        }
        IndexItem[] items = [.. list.Select((record, i) => _mapper.ToItem(record, p => generated.TryGetValue(p, out var embeddings) ? embeddings[i] : null))];
        await Run("Upsert", () => _transport.AddAsync(Name, items, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(TInput searchValue, int top,
        VectorSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        options ??= new();
        CheckWindow(top, options.Skip);
        bool vectors = WantVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(options);
        var vector = await SearchVectorAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var filter = options.Filter is null ? null : new FilterTranslator().Translate(options.Filter, _model);
        var query = new SearchQuery(vector, top + options.Skip, Filter: filter, Using: Using(vectorProperty));
        var hits = (await Run("Search", () => _transport.SearchAsync(Name, query, cancellationToken)).ConfigureAwait(false))
            .Skip(options.Skip)
            .Select(hit => (Hit: hit, Score: Distances.ToScore(vectorProperty.DistanceFunction, hit.Distance)))
            .Where(h => Distances.Passes(vectorProperty.DistanceFunction, h.Score, options.ScoreThreshold))
            .ToArray();
        await foreach (var result in ResultsAsync(hits, vectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The keywords are searched as one query, by BM25, in the full-text indexed property (the one
    /// <see cref="HybridSearchOptions{TRecord}.AdditionalProperty"/> names, or the only one); the nearest records and the
    /// best keyword matches (100 of each, or top + Skip) are fused by reciprocal rank. The score is the fused score
    /// (higher is better); <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> is a least fused score.</remarks>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(TInput searchValue, ICollection<string> keywords, int top,
        HybridSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        options ??= new();
        CheckWindow(top, options.Skip);
        bool vectors = WantVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(new VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        var textProperty = _model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        var vector = await SearchVectorAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var filter = options.Filter is null ? null : new FilterTranslator().Translate(options.Filter, _model);
        var words = string.Join(' ', keywords.Where(k => !string.IsNullOrWhiteSpace(k)));
        var query = new SearchQuery(vector, top + options.Skip, Filter: filter,
            Text: words.Length == 0 ? null : new TextQuery(words, [textProperty.StorageName]), Using: Using(vectorProperty));
        var hits = (await Run("HybridSearch", () => _transport.SearchAsync(Name, query, cancellationToken)).ConfigureAwait(false))
            .Skip(options.Skip)
            .Select(hit => (Hit: hit, Score: hit.Score is { } fused ? (double)fused : Distances.ToScore(vectorProperty.DistanceFunction, hit.Distance)))
            .Where(h => options.ScoreThreshold is not { } least || h.Score >= least)
            .ToArray();
        await foreach (var result in ResultsAsync(hits, vectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Refuses a search window the service cannot answer: top below 1, a negative skip, or more than
    /// <see cref="MaxResults"/> results in all.</summary>
    private static void CheckWindow(int top, int skip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (top + skip > MaxResults)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"top + Skip is {top + skip}; Vectord returns at most {MaxResults} results");
        }
    }

    /// <summary>The records of scored hits, with their vectors when asked for (read in one call after the search).</summary>
    private async IAsyncEnumerable<VectorSearchResult<TRecord>> ResultsAsync((SearchHit Hit, double Score)[] hits, bool vectors,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var withVectors = vectors && hits.Length > 0
            ? (await ItemsByIdAsync([.. hits.Select(h => h.Hit.Id)], true, cancellationToken).ConfigureAwait(false))
                .ToDictionary(item => item.Id, StringComparer.Ordinal)
            : null;
        foreach (var (hit, score) in hits)
        {
            // An item deleted between the search and the read of vectors is still returned, without its vector.
            var record = _mapper.FromItem(hit.Id, withVectors?.GetValueOrDefault(hit.Id), hit.Metadata);
            yield return new VectorSearchResult<TRecord>(record, score);
        }
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private async Task<IndexItem[]> ItemsByIdAsync(string[] ids, bool vectors, CancellationToken cancellationToken)
    {
        var query = new ItemQuery(ItemFilter.All(Where.HasId(ids)), ids.Length, After: null, IncludeVectors: vectors);
        return (await Run("Get", () => _transport.QueryAsync(Name, query, cancellationToken)).ConfigureAwait(false)).Items;
    }

    /// <summary>The named vector a search by <paramref name="property"/> uses: its storage name when the index has
    /// named vectors (a model with several vector properties), else none.</summary>
    private string? Using(VectorPropertyModel property) => _model.VectorProperties.Count > 1 ? property.StorageName : null;

    private bool WantVectors(bool includeVectors) =>
        includeVectors && _model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : includeVectors;

    private static async ValueTask<float[]> SearchVectorAsync<TInput>(TInput value, VectorPropertyModel property, CancellationToken cancellationToken)
        where TInput : notnull => value switch
        {
            float[] array => array,
            ReadOnlyMemory<float> memory => memory.ToArray(),
            Embedding<float> embedding => embedding.Vector.ToArray(),
            _ when property.EmbeddingGenerationDispatcher is not null =>
                ((Embedding<float>)await property.GenerateEmbeddingAsync(value, cancellationToken).ConfigureAwait(false)).Vector.ToArray(),
            _ => throw (property.EmbeddingGenerator is null
                ? new NotSupportedException(VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(value.GetType(), VectordModelBuilder.SupportedVectorTypes))
                : new InvalidOperationException(VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType()))),
        };

    private Task<T> Run<T>(string operation, Func<Task<T>> action) => StoreErrors.RunAsync(Name, operation, action);

    private Task Run(string operation, Func<Task> action) => StoreErrors.RunAsync(Name, operation, action);
}
