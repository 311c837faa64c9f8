using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Vectord.Contracts;

namespace Vectord.Client;

public sealed partial class VectordClient
{
    /// <summary>The k nearest items to the query (among those matching its filter), by ascending distance.</summary>
    /// <param name="index">The index.</param>
    /// <param name="query">Vector, k (≤ 0: 10; at most 1000), beam width, filter, and which copies of a replicated
    /// index may answer (<see cref="ReadConsistency"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidIndexArgumentException">Wrong dimension, a non-finite component, an invalid
    /// filter, or a consistency outside <see cref="ReadConsistency"/> (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<SearchHit[]> SearchAsync(string index, SearchQuery query, CancellationToken cancellationToken = default)
    {
        SearchResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/search",
            Json(ToRequest(query), GatewayJsonContext.Default.SearchRequest), Retry.Read,
            GatewayJsonContext.Default.SearchResponse, cancellationToken).ConfigureAwait(false);
        return ToHits(answer.Results);
    }

    /// <summary>The k items whose text fields best match <paramref name="text"/>'s words, by BM25 (best first), among
    /// those matching <paramref name="filter"/>. Each hit's <see cref="SearchHit.Score"/> is its BM25 score; its
    /// distance is NaN. For a hybrid search, give <see cref="SearchQuery.Text"/> beside the vector to
    /// <see cref="SearchAsync"/>.</summary>
    /// <param name="index">The index; it must have text fields.</param>
    /// <param name="text">The words, and the text fields searched (all when none are named).</param>
    /// <param name="k">Results wanted: ≤ 0: 10; at most 1000.</param>
    /// <param name="filter">Which items; null: every item.</param>
    /// <param name="consistency">Which copies of a replicated index may answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidIndexArgumentException">The index has no text fields, a field is not one of them, the
    /// words are empty, or the filter is invalid (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<SearchHit[]> SearchTextAsync(string index, TextQuery text, int k = IndexLimits.DefaultK, ItemFilter? filter = null,
        ReadConsistency consistency = ReadConsistency.Any, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = new TextSearchRequest(text.Query, k, text.Fields, FilterElement(filter), ConsistencyNames.Format(consistency));
        TextSearchResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/search/text",
            Json(body, GatewayJsonContext.Default.TextSearchRequest), Retry.Read,
            GatewayJsonContext.Default.TextSearchResponse, cancellationToken).ConfigureAwait(false);
        return [.. answer.Results.Select(r => new SearchHit(r.Id, float.NaN, r.Metadata, r.Score))];
    }

    /// <summary>Several searches, one list of hits per search in order. More than
    /// <see cref="SearchQuery.MaxBatch"/> searches, or searches whose filters together cost more than
    /// <see cref="FilterRules.MaxCost"/>, go as several calls. Each search carries its own consistency; within one
    /// call the strictest holds for all of its searches.</summary>
    /// <exception cref="InvalidIndexArgumentException">A search is invalid; the message names it
    /// (<c>searches[3]: ...</c>, numbered within its call) and none of that call ran (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<SearchHit[][]> SearchBatchAsync(string index, IReadOnlyList<SearchQuery> queries,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0)
        {
            throw new ArgumentException("queries must be non-empty", nameof(queries));
        }
        var requests = new SearchRequest[queries.Count];
        for (int i = 0; i < requests.Length; i++)
        {
            requests[i] = ToRequest(queries[i]);
        }
        string path = IndexPath(index) + "/search/batch";
        var results = new List<SearchHit[]>(requests.Length);
        // A call's filters share one cost budget: searches past it go in the next call.
        long[] costs = [.. queries.Select(q => FilterRules.Cost(q.Filter))];
        foreach (byte[] body in BatchBodies.Split(requests, "searches", GatewayJsonContext.Default.SearchRequest, SearchQuery.MaxBatch,
            costs: costs, maxCost: FilterRules.MaxCost))
        {
            SearchBatchResponse answer = await SendAsync(HttpMethod.Post, path, Json(body), Retry.Read,
                GatewayJsonContext.Default.SearchBatchResponse, cancellationToken).ConfigureAwait(false);
            results.AddRange(answer.Results.Select(ToHits));
        }
        return [.. results];
    }

    /// <summary>One page of the items matching the query's filter, in id order (ordinal).</summary>
    /// <returns>The page; its <see cref="ItemPage.Next"/> is the <see cref="ItemQuery.After"/> of the next page,
    /// null at the end.</returns>
    /// <exception cref="InvalidIndexArgumentException">The filter is invalid (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<ItemPage> QueryItemsAsync(string index, ItemQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var body = new ItemQueryRequest(FilterElement(query.Filter), query.Limit, query.After, query.IncludeVectors,
            OrderByNames.FromKeys(query.OrderBy), query.Offset == 0 ? null : query.Offset);
        ItemQueryResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/items/query",
            Json(body, GatewayJsonContext.Default.ItemQueryRequest), Retry.Read,
            GatewayJsonContext.Default.ItemQueryResponse, cancellationToken).ConfigureAwait(false);
        return new ItemPage([.. answer.Items.Select(ToItem)], answer.Next);
    }

    /// <summary>Every item matching <paramref name="filter"/> (all items when null), in id order, fetched a page at a
    /// time as the caller enumerates. Items added or deleted meanwhile may or may not appear.</summary>
    /// <param name="index">The index.</param>
    /// <param name="filter">Which items; null: every item.</param>
    /// <param name="includeVectors">Whether the items carry their vectors (otherwise <see cref="IndexItem.Vector"/>
    /// is empty).</param>
    /// <param name="pageSize">Items per call, 1 to <see cref="IndexLimits.MaxPage"/>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public async IAsyncEnumerable<IndexItem> QueryAllItemsAsync(string index, ItemFilter? filter = null, bool includeVectors = false,
        int pageSize = IndexLimits.MaxPage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, IndexLimits.MaxPage);
        string? after = null;
        do
        {
            ItemPage page = await QueryItemsAsync(index, new ItemQuery(filter, pageSize, after, includeVectors), cancellationToken)
                .ConfigureAwait(false);
            foreach (IndexItem item in page.Items)
            {
                yield return item;
            }
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>How many items match <paramref name="filter"/> (all of them when null).</summary>
    /// <exception cref="InvalidIndexArgumentException">The filter is invalid (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<int> CountAsync(string index, ItemFilter? filter = null, CancellationToken cancellationToken = default)
    {
        CountResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/count",
            Json(new CountRequest(FilterElement(filter)), GatewayJsonContext.Default.CountRequest), Retry.Read,
            GatewayJsonContext.Default.CountResponse, cancellationToken).ConfigureAwait(false);
        return answer.Count;
    }

    /// <summary>One item with its vector and metadata, or null when the index has no such item.</summary>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<IndexItem?> GetItemAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        if (!TravelsInPath(id))
        {
            ItemPage page = await QueryItemsAsync(index, new ItemQuery(ItemFilter.All(Where.HasId(id)), 1, null, IncludeVectors: true),
                cancellationToken).ConfigureAwait(false);
            return page.Items.FirstOrDefault();
        }
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, ItemPath(index, id), null, Retry.Read,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (await IsItemNotFoundAsync(response, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        ItemResponse? item = await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.ItemResponse, cancellationToken)
            .ConfigureAwait(false);
        return item is null ? null : ToItem(item);
    }

    private static SearchRequest ToRequest(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        bool keyword = query.Text is not null && (query.Vector is null || query.Vector.Length == 0);
        return new SearchRequest(keyword ? null : query.Vector, query.K, query.Ef, FilterElement(query.Filter), ConsistencyNames.Format(query.Consistency),
            query.Text is { } text ? new TextSearch(text.Query, text.Fields) : null, FusionNames.Format(query.Fusion), query.Alpha, query.Using);
    }

    private static SearchHit[] ToHits(SearchResult[] results) =>
        [.. results.Select(r => new SearchHit(r.Id, r.Distance ?? float.NaN, r.Metadata, r.Score))];

    private static IndexItem ToItem(ItemResponse item) => new(item.Id, item.Vector ?? [], item.Metadata, item.Vectors);
}
