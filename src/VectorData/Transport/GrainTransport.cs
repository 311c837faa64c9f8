namespace Vectord.VectorData.Transport;

/// <summary>The co-hosted path: calls the index grains through the cluster's <see cref="IGrainFactory"/>, no HTTP.
/// Grain calls carry no cancellation token: a cancelled caller stops waiting, and the call completes on its own.</summary>
internal sealed class GrainTransport(IGrainFactory grains) : IVectordTransport
{
    public Task<string[]> ListNamesAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync().WaitAsync(cancellationToken);

    public async Task<IndexInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Index(name).GetInfoAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> CreateAsync(string name, IndexSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            await Index(name).CreateAsync(spec).WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IndexAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<bool> DropAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await Index(name).DropAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IndexNotFoundException)
        {
            return false;
        }
    }

    public async Task AddAsync(string name, IReadOnlyList<IndexItem> items, CancellationToken cancellationToken)
    {
        foreach (var batch in ItemBatches.Split(items))
        {
            await Index(name).AddAsync(batch).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string name, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var batch in ids.Chunk(ItemLimits.MaxBatchItems))
        {
            await Index(name).DeleteAsync(batch).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<SearchHit[]> SearchAsync(string name, SearchQuery query, CancellationToken cancellationToken) =>
        Index(name).SearchAsync(query, cancellationToken);

    public Task<ItemPage> QueryAsync(string name, ItemQuery query, CancellationToken cancellationToken) =>
        Index(name).QueryItemsAsync(query, cancellationToken);

    private IVectorIndexGrain Index(string name) => grains.GetGrain<IVectorIndexGrain>(name);
}
