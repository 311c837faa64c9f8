using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Apis;

/// <summary>Items and search: <c>/vectors/index/{name}/...</c>.</summary>
public static class ItemsApi
{
    /// <summary>Maps the item and search routes.</summary>
    public static RouteGroupBuilder MapItemsApi(this IEndpointRouteBuilder app)
    {
        // Every route names an index: 400 for a name that cannot be one, 404 for no such index.
        var group = app.MapGroup("/vectors/index/{name}").WithTags("Items")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        group.MapPost("/add", AddAsync).WithName("AddItems")
            .WithSummary("Adds or replaces a batch of items (applied whole or not at all)")
            .AcceptsBody<AddRequest>()
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout, StatusCodes.Status507InsufficientStorage);
        long searchBody = app.ServiceProvider.GetRequiredService<IOptions<GatewayLimits>>().Value.MaxSearchBodyBytes;
        group.MapPost("/search", SearchAsync).WithName("Search")
            .WithSummary("The k nearest items to a vector, or a hybrid search with words")
            .WithMetadata(new BodySizeLimit(searchBody))
            .AcceptsBody<SearchRequest>();
        // A batch carries up to 1024 query vectors, as add carries items: the node-wide body limit, not a search's.
        group.MapPost("/search/batch", SearchBatchAsync).WithName("SearchBatch")
            .WithSummary("Several searches at once: one list of nearest items per search, in order")
            .AcceptsBody<SearchBatchRequest>();
        group.MapPost("/search/text", SearchTextAsync).WithName("SearchText")
            .WithSummary("The items whose text fields best match some words, by BM25")
            .WithMetadata(new BodySizeLimit(searchBody))
            .AcceptsBody<TextSearchRequest>();
        group.MapPost("/items/query", QueryAsync).WithName("QueryItems")
            .WithSummary("Pages through the items that match a filter, in id order or ordered by metadata keys")
            .WithMetadata(new BodySizeLimit(searchBody))
            .AcceptsBody<ItemQueryRequest>();
        group.MapPost("/count", CountAsync).WithName("CountItems")
            .WithSummary("The number of items that match a filter")
            .WithMetadata(new BodySizeLimit(searchBody))
            .AcceptsBody<CountRequest>();
        group.MapPost("/delete", DeleteManyAsync).WithName("DeleteItems")
            .WithSummary("Deletes items by id, or every item that matches a filter")
            .AcceptsBody<DeleteItemsRequest>();
        group.MapGet("/items", ListAsync).WithName("ListItems")
            .WithSummary("Pages through the items in id order");
        group.MapGet("/items/{*id}", GetAsync).WithName("GetItem")
            .WithSummary("One item with its vector and metadata");
        group.MapDelete("/items/{*id}", DeleteAsync).WithName("DeleteItem")
            .WithSummary("Deletes one item");
        return group;
    }

    internal static async Task<JsonOk<AddResponse>> AddAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.AddRequest, VectorBodyReader.TryReadAdd);
        AddItem?[] items = body.Items ?? [];
        var batch = new IndexItem[items.Length];
        for (int j = 0; j < items.Length; j++)
        {
            AddItem item = items[j] ?? throw Invalid($"items[{j}]: must be an object");
            // A missing vector is an empty one: the index says whether its items carry vectors (ItemRules).
            batch[j] = new IndexItem(item.Id ?? "", item.Vector ?? [], item.Metadata, item.Vectors);
        }
        AddResult result = await indexes.Index(name).AddAsync(batch);
        return JsonAnswer.Ok(new AddResponse(result.Added, result.Length), GatewayJsonContext.Default.AddResponse);
    }

    internal static async Task<JsonOk<SearchResponse>> SearchAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.SearchRequest, ReadSearch);
        SearchHit[] hits = (await indexes.SearchAsync(name, [ToQuery(body, "", new FilterBudget())], request.HttpContext.RequestAborted))[0];
        return JsonAnswer.Ok(new SearchResponse(ToResults(hits)), GatewayJsonContext.Default.SearchResponse);
    }

    internal static async Task<JsonOk<SearchBatchResponse>> SearchBatchAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.SearchBatchRequest, ReadSearchBatch);
        SearchRequest?[] searches = body.Searches ?? [];
        if (searches.Length == 0)
        {
            throw Invalid("searches must be non-empty");
        }
        var queries = new SearchQuery[searches.Length];
        var budget = new FilterBudget();   // one for the whole batch
        for (int i = 0; i < searches.Length; i++)
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"searches[{i}]");
            queries[i] = ToQuery(searches[i] ?? throw Invalid($"{at}: must be an object"), at, budget);
        }
        SearchHit[][] hits = await indexes.SearchAsync(name, queries, request.HttpContext.RequestAborted);
        var results = new SearchResult[hits.Length][];
        for (int i = 0; i < hits.Length; i++)
        {
            results[i] = ToResults(hits[i]);
        }
        return JsonAnswer.Ok(new SearchBatchResponse(results), GatewayJsonContext.Default.SearchBatchResponse);
    }

    internal static async Task<JsonOk<TextSearchResponse>> SearchTextAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.TextSearchRequest, SkimFilter);
        var text = new TextQuery(body.Query ?? throw Invalid("query is required"), Fields(body.Fields, "fields"));
        var query = new SearchQuery([], body.K ?? 0, null, ReadFilter(body.Filter, "filter"), ConsistencyNames.Parse(body.Consistency), text);
        SearchHit[] hits = (await indexes.SearchAsync(name, [query], request.HttpContext.RequestAborted))[0];
        var results = new TextSearchResult[hits.Length];
        for (int i = 0; i < hits.Length; i++)
        {
            results[i] = new TextSearchResult(hits[i].Id, hits[i].Score ?? 0, hits[i].Metadata);
        }
        return JsonAnswer.Ok(new TextSearchResponse(results), GatewayJsonContext.Default.TextSearchResponse);
    }

    internal static async Task<JsonOk<ItemQueryResponse>> QueryAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.ItemQueryRequest, SkimFilter);
        bool vectors = body.Vectors ?? false;
        ItemPage page = await indexes.Index(name).QueryItemsAsync(
            new ItemQuery(ReadFilter(body.Filter, "filter"), body.Limit ?? 100, body.After, vectors, OrderByNames.ToKeys(body.OrderBy), body.Offset ?? 0),
            request.HttpContext.RequestAborted);
        var items = new ItemResponse[page.Items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            IndexItem item = page.Items[i];
            items[i] = ToResponse(item, vectors);
        }
        return JsonAnswer.Ok(new ItemQueryResponse(items, page.Next), GatewayJsonContext.Default.ItemQueryResponse);
    }

    internal static async Task<JsonOk<CountResponse>> CountAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.CountRequest, SkimFilter);
        int count = await indexes.Index(name).CountAsync(ReadFilter(body.Filter, "filter"), request.HttpContext.RequestAborted);
        return JsonAnswer.Ok(new CountResponse(count), GatewayJsonContext.Default.CountResponse);
    }

    internal static async Task<JsonOk<DeleteItemsResponse>> DeleteManyAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.DeleteItemsRequest, SkimFilter);
        ItemFilter? filter = ReadFilter(body.Filter, "filter");
        if (filter is not null)
        {
            if (body.Ids is not null)
            {
                throw Invalid("give either ids or filter, not both");
            }
            DeleteResult deleted = await indexes.Index(name).DeleteWhereAsync(filter, request.HttpContext.RequestAborted);
            return JsonAnswer.Ok(new DeleteItemsResponse(deleted.Deleted, deleted.Length), GatewayJsonContext.Default.DeleteItemsResponse);
        }
        string?[] ids = body.Ids ?? throw Invalid("ids or filter is required (exactly one of them)");
        var checkedIds = new string[ids.Length];
        for (int j = 0; j < ids.Length; j++)
        {
            checkedIds[j] = ids[j] ?? throw Invalid($"ids[{j}]: must be a string");
        }
        DeleteResult result = await indexes.Index(name).DeleteAsync(checkedIds);
        return JsonAnswer.Ok(new DeleteItemsResponse(result.Deleted, result.Length), GatewayJsonContext.Default.DeleteItemsResponse);
    }

    internal static async Task<Ok<ItemListResponse>> ListAsync(string name, IndexGrains indexes,
        string? after = null, int? limit = null, bool? vectors = null)
    {
        ItemPage page = await indexes.Index(name).ListItemsAsync(after, limit ?? 100, vectors ?? false);
        var items = new ItemResponse[page.Items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            IndexItem item = page.Items[i];
            items[i] = ToResponse(item, vectors == true);
        }
        return TypedResults.Ok(new ItemListResponse(items, page.Next));
    }

    internal static async Task<JsonOk<ItemResponse>> GetAsync(string name, string? id, IndexGrains indexes)
    {
        IndexItem item = await indexes.Index(name).GetItemAsync(id ?? "")
            ?? throw new ItemNotFoundException(id ?? "");
        return JsonAnswer.Ok(ToResponse(item, vectors: true), GatewayJsonContext.Default.ItemResponse);
    }

    internal static async Task<NoContent> DeleteAsync(string name, string? id, IndexGrains indexes)
    {
        DeleteResult result = await indexes.Index(name).DeleteAsync([id ?? ""]);
        return result.Deleted == 0 ? throw new ItemNotFoundException(id ?? "") : TypedResults.NoContent();
    }

    /// <summary>A search body, refused before it is parsed when its filter costs too much (<see cref="FilterSkim"/>).</summary>
    private static bool ReadSearch(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SearchRequest? value)
    {
        FilterSkim.ThrowIfOverBudget(json, "filter");
        return VectorBodyReader.TryReadSearch(json, out value);
    }

    /// <summary>A batch body, refused before it is parsed when its filters together cost too much.</summary>
    private static bool ReadSearchBatch(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SearchBatchRequest? value)
    {
        FilterSkim.ThrowIfOverBudget(json, "searches");
        return VectorBodyReader.TryReadSearchBatch(json, out value);
    }

    /// <summary>Refuses a body whose filter costs too much before it is parsed, then leaves it to the serializer.</summary>
    private static bool SkimFilter<T>(ReadOnlySpan<byte> json, [NotNullWhen(true)] out T? value) where T : class
    {
        FilterSkim.ThrowIfOverBudget(json, "filter");
        value = null;
        return false;
    }

    /// <summary>A search body as a grain query; <paramref name="at"/> names it in errors (empty for a lone search).</summary>
    private static SearchQuery ToQuery(SearchRequest body, string at, FilterBudget budget)
    {
        string prefix = at.Length == 0 ? "" : $"{at}.";
        TextQuery? text = body.Text is { } words
            ? new TextQuery(words.Query ?? throw Invalid($"{prefix}text.query: is required"), Fields(words.Fields, $"{prefix}text.fields"))
            : null;
        float[] vector = body.Vector ?? (text is not null ? [] : throw Invalid(at.Length == 0 ? "vector is required" : $"{at}: vector is required"));
        return new SearchQuery(vector, body.K ?? 0, body.Ef, ReadFilter(body.Filter, $"{prefix}filter", budget),
            ConsistencyNames.Parse(body.Consistency), text, FusionNames.Parse(body.Fusion, $"{prefix}fusion"), body.Alpha, body.Using);
    }

    /// <summary>The text fields a keyword query names; null when it names none.</summary>
    private static string[]? Fields(string?[]? fields, string path)
    {
        if (fields is null) { return null; }
        var named = new string[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            named[i] = fields[i] ?? throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]: must be a string"));
        }
        return named;
    }

    /// <summary>A request's filter, spending from the request's <paramref name="budget"/> (a new one when the
    /// request has one filter); absent or JSON null: none.</summary>
    private static ItemFilter? ReadFilter(JsonElement? element, string path, FilterBudget? budget = null) =>
        element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } filter
            ? FilterJson.Read(filter, path, budget ?? new FilterBudget()) : null;

    /// <summary>An item as the contract writes it: its vector, or with named vectors each by name, when asked for.</summary>
    private static ItemResponse ToResponse(IndexItem item, bool vectors) =>
        !vectors ? new ItemResponse(item.Id, null, item.Metadata)
        : item.Vectors is { } named ? new ItemResponse(item.Id, null, item.Metadata, named)
        : new ItemResponse(item.Id, item.Vector, item.Metadata);

    private static SearchResult[] ToResults(SearchHit[] hits)
    {
        var results = new SearchResult[hits.Length];
        for (int i = 0; i < hits.Length; i++)
        {
            SearchHit hit = hits[i];
            results[i] = new SearchResult(hit.Id, float.IsNaN(hit.Distance) ? null : hit.Distance, hit.Metadata, hit.Score);
        }
        return results;
    }

    private static InvalidIndexArgumentException Invalid(string message) => new(message);
}
