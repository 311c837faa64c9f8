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
        var group = app.MapGroup("/vectors/index/{name}").WithTags("Items");

        group.MapPost("/add", AddAsync).WithName("AddItems")
            .WithSummary("Adds or replaces a batch of items (applied whole or not at all)")
            .Accepts<AddRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        long searchBody = app.ServiceProvider.GetRequiredService<IOptions<GatewayLimits>>().Value.MaxSearchBodyBytes;
        group.MapPost("/search", SearchAsync).WithName("Search")
            .WithSummary("The k nearest items to a vector")
            .WithMetadata(new BodySizeLimit(searchBody))
            .Accepts<SearchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/delete", DeleteManyAsync).WithName("DeleteItems")
            .WithSummary("Deletes items by id")
            .Accepts<DeleteItemsRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/items", ListAsync).WithName("ListItems")
            .WithSummary("Pages through the items in id order")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/items/{*id}", GetAsync).WithName("GetItem")
            .WithSummary("One item with its vector and metadata")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/items/{*id}", DeleteAsync).WithName("DeleteItem")
            .WithSummary("Deletes one item")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
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
            float[] vector = item.Vector ?? throw Invalid($"items[{j}]: vector is required");
            batch[j] = new IndexItem(item.Id ?? "", vector, item.Metadata?.Text);
        }
        AddResult result = await indexes.Index(name).AddAsync(batch);
        return JsonAnswer.Ok(new AddResponse(result.Added, result.Length), GatewayJsonContext.Default.AddResponse);
    }

    internal static async Task<JsonOk<SearchResponse>> SearchAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.SearchRequest, VectorBodyReader.TryReadSearch);
        float[] vector = body.Vector ?? throw Invalid("vector is required");
        SearchHit[] hits = await indexes.Index(name).SearchAsync(vector, body.K ?? 0, body.Ef);
        var results = new SearchResult[hits.Length];
        for (int i = 0; i < hits.Length; i++)
        {
            results[i] = new SearchResult(hits[i].Id, hits[i].Distance, RawJson.FromStored(hits[i].Metadata));
        }
        return JsonAnswer.Ok(new SearchResponse(results), GatewayJsonContext.Default.SearchResponse);
    }

    internal static async Task<JsonOk<DeleteItemsResponse>> DeleteManyAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.DeleteItemsRequest);
        string?[] ids = body.Ids ?? [];
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
            items[i] = new ItemResponse(item.Id, vectors == true ? item.Vector : null, RawJson.FromStored(item.Metadata));
        }
        return TypedResults.Ok(new ItemListResponse(items, page.Next));
    }

    internal static async Task<JsonOk<ItemResponse>> GetAsync(string name, string? id, IndexGrains indexes)
    {
        IndexItem item = await indexes.Index(name).GetItemAsync(id ?? "")
            ?? throw new ItemNotFoundException(id ?? "");
        return JsonAnswer.Ok(new ItemResponse(item.Id, item.Vector, RawJson.FromStored(item.Metadata)), GatewayJsonContext.Default.ItemResponse);
    }

    internal static async Task<NoContent> DeleteAsync(string name, string? id, IndexGrains indexes)
    {
        DeleteResult result = await indexes.Index(name).DeleteAsync([id ?? ""]);
        return result.Deleted == 0 ? throw new ItemNotFoundException(id ?? "") : TypedResults.NoContent();
    }

    private static InvalidIndexArgumentException Invalid(string message) => new(message);
}
