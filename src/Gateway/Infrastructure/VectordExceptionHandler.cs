using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// The one place where errors become RFC 9457 ProblemDetails: grain errors (<see cref="VectordException"/>),
/// malformed or mistyped request bodies, oversized bodies, missing credentials and an unreachable cluster, each with
/// its status, its machine-readable <c>code</c> (<see cref="ProblemCodes"/>) and a <c>detail</c> in words.
/// A storage or cluster failure is answered with a fixed message and the request's trace id; what actually failed
/// (file paths, host names, the driver's words) goes only to the log, under that trace id.
/// </summary>
internal sealed partial class VectordExceptionHandler(IProblemDetailsService problems, ILogger<VectordExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Map(exception);
        if (status == 0)
        {
            return false;
        }
        if (status == StatusCodes.Status413PayloadTooLarge
            && httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit)
        {
            detail = $"request body is larger than the {DescribeBytes(limit)} limit";
        }
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogUnavailable(logger, status, httpContext.TraceIdentifier, exception.Message, exception);
        }

        var details = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.GetReasonPhrase(status),
            Detail = detail,
            Extensions = { ["code"] = code, ["traceId"] = httpContext.TraceIdentifier },
        };
        if (exception is VectordException { AppliedShards: { } applied })
        {
            details.Extensions["applied_shards"] = applied;   // a sharded write that failed on some of its shards
        }
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = details,
        });
    }

    /// <summary>Status, code (<see cref="ProblemCodes"/>) and detail for an exception; status 0 = not ours (the default
    /// 500 handling applies).</summary>
    internal static (int Status, string Code, string Detail) Map(Exception exception) => exception switch
    {
        IndexNotFoundException e => (StatusCodes.Status404NotFound, ProblemCodes.IndexNotFound, e.Message),
        SnapshotNotFoundException e => (StatusCodes.Status404NotFound, ProblemCodes.SnapshotNotFound, e.Message),
        IndexAlreadyExistsException e => (StatusCodes.Status409Conflict, ProblemCodes.IndexExists, e.Message),
        InvalidIndexArgumentException e => (StatusCodes.Status400BadRequest, ProblemCodes.InvalidArgument, e.Message),
        StorageUnavailableException { Message: StorageUnavailableException.IndexMoved } =>
            (StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageUnavailable, StorageUnavailableException.IndexMoved),
        StorageUnavailableException => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageUnavailable, StorageDown),
        IndexCorruptException e => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.IndexCorrupt, e.Message),
        IndexFullException e => (StatusCodes.Status507InsufficientStorage, ProblemCodes.IndexFull, e.Message),
        // Out of memory before any write was applied (reading a body, checking a batch): the node is full as an
        // IndexFullException says; a write that runs out while being applied is taken back by its part.
        OutOfMemoryException => (StatusCodes.Status507InsufficientStorage, ProblemCodes.IndexFull, OutOfMemory),
        WriteOutcomeUnknownException => (StatusCodes.Status504GatewayTimeout, ProblemCodes.OutcomeUnknown, UnknownOutcome),
        // The node gave the work up, as when its queue is full: a narrower filter, or a quieter node, may answer.
        FilterTimeoutException e => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.FilterTimeout, e.Message),
        VectordException e => (StatusCodes.Status400BadRequest, ProblemCodes.InvalidArgument, e.Message),
        JsonException e => (StatusCodes.Status400BadRequest, ProblemCodes.InvalidBody, DescribeJson(e)),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, $"request body is larger than the {DescribeBytes(ItemLimits.MaxRequestBodyBytes)} limit"),
        BadHttpRequestException { InnerException: JsonException e } => (StatusCodes.Status400BadRequest, ProblemCodes.InvalidBody, DescribeJson(e)),
        BadHttpRequestException e => (e.StatusCode, ProblemCodes.ForStatus(e.StatusCode), e.Message),
        ItemNotFoundException e => (StatusCodes.Status404NotFound, ProblemCodes.ItemNotFound, e.Message),
        UnauthenticatedException e => (StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, e.Message),
        ForbiddenException e => (StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, e.Message),
        ClusterUnavailableException or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or GatewayTooBusyException or ClientNotAvailableException => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, ClusterDown),
        TimeoutException => (StatusCodes.Status504GatewayTimeout, ProblemCodes.OutcomeUnknown, UnknownOutcome),
        _ => (0, "", ""),
    };

    /// <summary>A call that outlived its deadline may still finish: unlike a 503, a 504 promises nothing about
    /// whether a write took effect. Adds and deletes may be repeated safely; so may a merge, which skips what it did.</summary>
    internal const string UnknownOutcome =
        "the outcome is unknown: the request may still take effect; read the index before repeating a write";

    private const string OutOfMemory = "this node ran out of memory handling the request; nothing was changed";

    private const string StorageDown = "storage is unavailable; retry later (the server log has the cause under this trace id)";

    private const string ClusterDown = "the cluster is unavailable; retry later (the server log has the cause under this trace id)";

    private static string DescribeBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";

    private static string DescribeJson(JsonException e)
    {
        // Converters of this gateway and the serializer's own messages already name the problem; add where it is
        // unless the message carries the position already.
        string message = e.Message;
        if (message.Contains("Path:", StringComparison.Ordinal) || e.Path is null or "$")
        {
            return "invalid JSON body: " + message;
        }
        return $"invalid JSON body at {e.Path}: {message}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered {Status} to request {TraceId}: {Cause}")]
    private static partial void LogUnavailable(ILogger logger, int status, string traceId, string cause, Exception exception);
}
