using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Apis;

/// <summary>
/// Snapshots: <c>/vectors/index/{name}/snapshots...</c> and <c>/vectors/snapshots/restore</c>. Their bytes flow
/// through grain calls a chunk at a time (<see cref="ISnapshotStoreGrain.ReadAsync"/> out,
/// <see cref="ISnapshotUploadGrain"/> in), so a standalone gateway, which has no storage of its own, serves them as
/// a silo does, and no file is ever whole in memory.
/// </summary>
public static class SnapshotsApi
{
    /// <summary>Bytes of one chunk moved per grain call.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>The media type of a snapshot file, the only one a restore takes.</summary>
    internal const string OctetStream = "application/octet-stream";

    /// <summary>The route of a restore.</summary>
    internal const string RestorePath = "/vectors/snapshots/restore";

    /// <summary>Maps the snapshot routes.</summary>
    public static IEndpointRouteBuilder MapSnapshotsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        long maxUpload = app.ServiceProvider.GetRequiredService<IOptions<SnapshotOptions>>().Value.MaxUploadBytes;
        // 400 for a name that cannot be an index's; the snapshots of an index that is no more are still listed.
        var group = app.MapGroup("/vectors/index/{name}/snapshots").WithTags("Snapshots")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapPost("/", CreateAsync).WithName("CreateSnapshot")
            .WithSummary("Takes a snapshot of the index; writes arriving meanwhile are wholly in it or wholly not")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", ListAsync).WithName("ListSnapshots")
            .WithSummary("The index's snapshots, newest first (also those of a dropped index)");
        group.MapGet("/{snapshot}", DownloadAsync).WithName("DownloadSnapshot")
            .WithSummary("Streams a snapshot file")
            .Produces(StatusCodes.Status200OK, contentType: OctetStream)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{snapshot}", DeleteAsync).WithName("DeleteSnapshot")
            .WithSummary("Deletes a snapshot")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost(RestorePath, RestoreAsync).WithName("RestoreSnapshot").WithTags("Snapshots")
            .WithSummary("Creates an index from a snapshot file sent as the body")
            .AcceptsBody<Stream>(OctetStream)
            .WithMetadata(new BodySizeLimit(maxUpload))
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status507InsufficientStorage);
        return app;
    }

    internal static async Task<JsonCreated<SnapshotResponse>> CreateAsync(string name, IndexGrains indexes)
    {
        SnapshotInfo info = await indexes.Index(name).CreateSnapshotAsync();
        return JsonAnswer.Created($"/vectors/index/{Uri.EscapeDataString(name)}/snapshots/{Uri.EscapeDataString(info.Name)}",
            ToResponse(info), GatewayJsonContext.Default.SnapshotResponse);
    }

    internal static async Task<JsonOk<SnapshotListResponse>> ListAsync(string name, IGrainFactory grains)
    {
        IndexNames.ThrowIfInvalid(name);
        SnapshotInfo[] snapshots = await Store(grains).ListAsync(name);
        return JsonAnswer.Ok(new SnapshotListResponse([.. snapshots.Select(ToResponse)]), GatewayJsonContext.Default.SnapshotListResponse);
    }

    internal static async Task DownloadAsync(string name, string snapshot, HttpContext context, IGrainFactory grains)
    {
        IndexNames.ThrowIfInvalid(name);
        ISnapshotStoreGrain store = Store(grains);
        SnapshotInfo info = await store.GetAsync(name, snapshot);
        HttpResponse response = context.Response;
        response.ContentType = OctetStream;
        response.ContentLength = info.Size;
        response.Headers.ContentDisposition = $"attachment; filename=\"{info.Name}\"";
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(info.Sha256))}:";
        CancellationToken aborted = context.RequestAborted;
        // The next chunk is read while this one is sent.
        long offset = 0;
        Task<byte[]> next = store.ReadAsync(name, snapshot, offset, ChunkBytes);
        while (offset < info.Size)
        {
            byte[] chunk = await next;
            if (chunk.Length == 0)
            {
                throw new StorageUnavailableException($"snapshot '{info.Name}' ended at {offset} of {info.Size} bytes");
            }
            offset += chunk.Length;
            next = offset < info.Size ? store.ReadAsync(name, snapshot, offset, ChunkBytes) : Task.FromResult<byte[]>([]);
            await response.Body.WriteAsync(chunk, aborted);
        }
    }

    internal static async Task<NoContent> DeleteAsync(string name, string snapshot, IGrainFactory grains)
    {
        IndexNames.ThrowIfInvalid(name);
        await Store(grains).DeleteAsync(name, snapshot);
        return TypedResults.NoContent();
    }

    internal static async Task<JsonCreated<IndexResponse>> RestoreAsync(HttpRequest request, IGrainFactory grains, IndexGrains indexes,
        IOptions<SnapshotOptions> options, [FromQuery] string? index = null, [FromQuery] int? shards = null, [FromQuery] string? sha256 = null)
    {
        if (string.IsNullOrEmpty(index))
        {
            throw new InvalidIndexArgumentException("index is required: POST /vectors/snapshots/restore?index=NAME");
        }
        IVectorIndexGrain target = indexes.Index(index);
        if (shards is < 0 or > IndexLimits.MaxShards)
        {
            throw new InvalidIndexArgumentException($"shards must be 0 (as in the snapshot) or between 1 and {IndexLimits.MaxShards}");
        }
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
        {
            throw new InvalidIndexArgumentException("sha256 must be 64 hexadecimal digits");
        }
        // A taken name is refused before any of the body is read; the index grain checks again when it restores.
        if (await ExistsAsync(target))
        {
            throw new IndexAlreadyExistsException("index already exists");
        }

        long max = options.Value.MaxUploadBytes;
        ISnapshotUploadGrain upload = grains.GetGrain<ISnapshotUploadGrain>(Guid.NewGuid());
        bool ended = false;
        try
        {
            byte[] buffer = new byte[ChunkBytes];
            long total = 0;
            while (true)
            {
                int read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                total += read;
                if (total > max)
                {
                    throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
                }
                await upload.WriteAsync(buffer.AsSpan(0, read).ToArray());
                if (read < buffer.Length)
                {
                    break;
                }
            }
            ended = true;
            IndexInfo info = await upload.RestoreAsync(index, shards ?? 0, sha256);
            return JsonAnswer.Created($"/vectors/index/{Uri.EscapeDataString(info.Name)}",
                new IndexResponse(IndexesApi.ToParams(info), info.Length, info.Quarantined), GatewayJsonContext.Default.IndexResponse);
        }
        finally
        {
            if (!ended)
            {
                await AbortQuietlyAsync(upload);
            }
        }
    }

    private static async Task<bool> ExistsAsync(IVectorIndexGrain index)
    {
        try
        {
            await index.GetInfoAsync();
            return true;
        }
        catch (IndexNotFoundException)
        {
            return false;
        }
        catch (IndexCorruptException)
        {
            return true;
        }
    }

    private static async Task AbortQuietlyAsync(ISnapshotUploadGrain upload)
    {
        try
        {
            await upload.AbortAsync();
        }
        catch (Exception e) when (e is StorageUnavailableException or TimeoutException or OrleansException)
        {
            // the upload deletes what it stored when its activation ends
        }
    }

    private static ISnapshotStoreGrain Store(IGrainFactory grains) => grains.GetGrain<ISnapshotStoreGrain>(0);

    private static SnapshotResponse ToResponse(SnapshotInfo info) =>
        new(info.Name, info.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), info.Size, info.Sha256, info.Length);
}
