using Vectord.Client;

namespace Vectord.VectorData.Transport;

/// <summary>The HTTP path, through <see cref="VectordClient"/>, which raises the same errors as the grains and
/// splits large upserts and deletes into bodies within the service's limits itself.</summary>
internal sealed class HttpTransport(VectordClient client) : IVectordTransport
{
    public Task<string[]> ListNamesAsync(CancellationToken cancellationToken) => client.ListIndexesAsync(cancellationToken);

    public async Task<IndexInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetIndexAsync(name, cancellationToken).ConfigureAwait(false);
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
            await client.CreateIndexAsync(name, spec, cancellationToken).ConfigureAwait(false);
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
            await client.DeleteIndexAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IndexNotFoundException)
        {
            return false;
        }
    }

    public Task AddAsync(string name, IReadOnlyList<IndexItem> items, CancellationToken cancellationToken) =>
        client.AddAsync(name, items, cancellationToken);

    public Task DeleteAsync(string name, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        client.DeleteItemsAsync(name, ids, cancellationToken);

    public Task<SearchHit[]> SearchAsync(string name, SearchQuery query, CancellationToken cancellationToken) =>
        client.SearchAsync(name, query, cancellationToken);

    public Task<ItemPage> QueryAsync(string name, ItemQuery query, CancellationToken cancellationToken) =>
        client.QueryItemsAsync(name, query, cancellationToken);
}
