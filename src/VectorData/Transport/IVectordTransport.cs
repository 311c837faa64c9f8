namespace Vectord.VectorData.Transport;

/// <summary>
/// How the connector reaches Vectord: direct grain calls in the cluster (<see cref="GrainTransport"/>) or the HTTP API
/// (the HTTP client). Both speak the grain API's records and raise the <see cref="VectordException"/>
/// family, so the collection above them is written once.
/// </summary>
internal interface IVectordTransport
{
    /// <summary>Every index name, sorted ordinally.</summary>
    Task<string[]> ListNamesAsync(CancellationToken cancellationToken);

    /// <summary>The index's parameters and length, or null when there is no such index.</summary>
    Task<IndexInfo?> GetInfoAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the index; false when an index of that name exists already.</summary>
    Task<bool> CreateAsync(string name, IndexSpec spec, CancellationToken cancellationToken);

    /// <summary>Drops the index; false when there was none.</summary>
    Task<bool> DropAsync(string name, CancellationToken cancellationToken);

    /// <summary>Upserts any number of items, in as many calls as the limits of one call need, one after another;
    /// when a call fails, the calls before it stay applied.</summary>
    Task AddAsync(string name, IReadOnlyList<IndexItem> items, CancellationToken cancellationToken);

    /// <summary>Deletes any number of ids, in as many calls as the limits need; absent ids are ignored.</summary>
    Task DeleteAsync(string name, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>The nearest items among those matching the query's filter.</summary>
    Task<SearchHit[]> SearchAsync(string name, SearchQuery query, CancellationToken cancellationToken);

    /// <summary>A page of the items matching the query's filter, in id order.</summary>
    Task<ItemPage> QueryAsync(string name, ItemQuery query, CancellationToken cancellationToken);
}
