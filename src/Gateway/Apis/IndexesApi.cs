using Microsoft.AspNetCore.Http.HttpResults;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Apis;

/// <summary>Index management and merge: <c>/vectors/index</c>.</summary>
public static class IndexesApi
{
    /// <summary>Maps the index routes.</summary>
    public static RouteGroupBuilder MapIndexesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/vectors/index").WithTags("Indexes");

        group.MapPost("/", CreateAsync).WithName("CreateIndex")
            .WithSummary("Creates an index")
            .AcceptsBody<CreateIndexRequest>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListIndexes")
            .WithSummary("Lists the index names");

        // The routes of one index: 400 for a name that cannot be one, 404 for no such index.
        var index = group.MapGroup("/{name}")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        index.MapGet("", GetAsync).WithName("GetIndex")
            .WithSummary("An index's parameters and length");
        index.MapGet("/shards", ShardsAsync).WithName("GetIndexShards")
            .WithSummary("Where each part of an index lives and how many items it holds");
        index.MapDelete("", DropAsync).WithName("DeleteIndex")
            .WithSummary("Deletes an index and its stored data");
        index.MapPost("/text_fields", AddTextFieldsAsync).WithName("AddTextFields")
            .WithSummary("Makes more metadata fields of an index searchable by words")
            .AcceptsBody<AddTextFieldsRequest>();
        index.MapPost("/merge", MergeAsync).WithName("MergeIndex")
            .WithSummary("Copies every item of the index into another one")
            .AcceptsBody<MergeRequest>();
        return group;
    }

    internal static async Task<JsonCreated<IndexResponse>> CreateAsync(HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.CreateIndexRequest);
        if (body.Name is null)
        {
            throw new InvalidIndexArgumentException("name is required");
        }
        var (dimension, named) = Vectors(body);
        var spec = new IndexSpec(dimension, body.M ?? 0, body.EfSearch ?? 0, DistanceNames.Parse(body.Distance), body.Shards ?? 0,
            QuantizationNames.Parse(body.Quantization), body.OnDisk ?? false, body.Replicas ?? 0,
            TextFieldNames.ToSpec(body.TextFields), body.Bm25?.K1, body.Bm25?.B, Vectors: named);
        IndexInfo info = await indexes.Index(body.Name).CreateAsync(spec);
        return JsonAnswer.Created($"/vectors/index/{Uri.EscapeDataString(info.Name)}", ToResponse(info), GatewayJsonContext.Default.IndexResponse);
    }

    /// <summary>The vectors a create asks for: its <c>dimension</c> (1 or more: the index's own rule checks the rest),
    /// or its named vectors, or for <c>"vectors": {}</c> dimension 0, an index without vectors.</summary>
    private static (int Dimension, NamedVector[]? Named) Vectors(CreateIndexRequest body)
    {
        if (body.Vectors is not { } vectors)
        {
            return body.Dimension switch
            {
                null => throw new InvalidIndexArgumentException("dimension is required (or \"vectors\": named vectors, or {} for an index whose items carry no vector)"),
                < 1 and var bad => throw new InvalidIndexArgumentException(
                    $"dimension must be between 1 and {IndexLimits.MaxDimension} (got {bad}); \"vectors\": {{}} creates an index whose items carry no vector"),
                var dimension => (dimension.Value, null),
            };
        }
        if (body.Dimension is not null) { throw new InvalidIndexArgumentException("dimension and vectors are exclusive: give one"); }
        if (vectors.Count == 0) { return (0, null); }
        if (body.Distance is not null || body.Quantization is not null)
        {
            throw new InvalidIndexArgumentException("with named vectors, distance and quantization are given for each of them");
        }
        return (0, NamedVectorNames.ToSpec(vectors));
    }

    internal static async Task<JsonOk<IndexListResponse>> ListAsync(IGrainFactory grains)
    {
        string[] names = await grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();
        return JsonAnswer.Ok(new IndexListResponse(names, names.Length), GatewayJsonContext.Default.IndexListResponse);
    }

    internal static async Task<JsonOk<IndexResponse>> GetAsync(string name, IndexGrains indexes)
    {
        IndexInfo info = await indexes.Index(name).GetInfoAsync();
        return JsonAnswer.Ok(ToResponse(info), GatewayJsonContext.Default.IndexResponse);
    }

    internal static async Task<JsonOk<ShardsResponse>> ShardsAsync(string name, IndexGrains indexes)
    {
        ShardInfo[] shards = await indexes.Index(name).GetShardsAsync();
        return JsonAnswer.Ok(new ShardsResponse([.. shards.Select(s => new ShardResponse(s.Shard, s.Length, s.Silo, s.Replica,
                CopyRoleNames.Format(s.Role), s.LogPosition, s.Lag, s.Ready, s.Searches, s.MemoryBytes))]),
            GatewayJsonContext.Default.ShardsResponse);
    }

    internal static async Task<NoContent> DropAsync(string name, IndexGrains indexes)
    {
        await indexes.Index(name).DropAsync();
        return TypedResults.NoContent();
    }

    internal static async Task<JsonOk<IndexResponse>> AddTextFieldsAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.AddTextFieldsRequest);
        IndexInfo info = await indexes.Index(name).AddTextFieldsAsync(TextFieldNames.ToSpec(body.TextFields) ?? []);
        return JsonAnswer.Ok(ToResponse(info), GatewayJsonContext.Default.IndexResponse);
    }

    internal static async Task<JsonOk<MergeResponse>> MergeAsync(string name, HttpRequest request, IndexGrains indexes)
    {
        var body = await RequestBody.ReadAsync(request, GatewayJsonContext.Default.MergeRequest);
        string dest = body.Dest ?? "";
        MergeResult result = await indexes.Index(name).MergeIntoAsync(dest, body.ClearSource ?? false);
        return JsonAnswer.Ok(new MergeResponse(result.Merged, result.SkippedAlreadyPresent, result.Failed,
            result.LengthDest, result.LengthSource, result.FirstError), GatewayJsonContext.Default.MergeResponse);
    }

    private static IndexResponse ToResponse(IndexInfo info) => new(ToParams(info), info.Length, info.Quarantined);

    /// <summary>An index's parameters as the contract writes them.</summary>
    internal static IndexParams ToParams(IndexInfo info) =>
        new(info.Name, info.Dimension, info.M, info.EfSearch, DistanceNames.Format(info.Distance), info.Shards,
            QuantizationNames.Format(info.Quantization), info.OnDisk, info.Replicas, TextFieldNames.FromSpec(info.TextFields),
            info.TextFields is { Length: > 0 } ? new Bm25Params(info.Bm25K1, info.Bm25B) : null, NamedVectorNames.FromSpec(info.Vectors));
}
