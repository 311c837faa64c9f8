namespace Vectord.Contracts;

/// <summary>
/// The machine-readable <c>code</c> of every ProblemDetails answer: the gateway writes them from here, the client
/// reads them from here. A code names the kind of error; the <c>detail</c> beside it says what exactly is wrong in
/// words that may change between versions, the code does not.
/// </summary>
public static class ProblemCodes
{
    /// <summary>404: no index of that name.</summary>
    public const string IndexNotFound = "index_not_found";

    /// <summary>404: the index exists but has no item of that id.</summary>
    public const string ItemNotFound = "item_not_found";

    /// <summary>404: no snapshot of that name.</summary>
    public const string SnapshotNotFound = "snapshot_not_found";

    /// <summary>404 or 405: no route for that path and method.</summary>
    public const string RouteNotFound = "route_not_found";

    /// <summary>409: an index of that name exists.</summary>
    public const string IndexExists = "index_exists";

    /// <summary>400: a request that is well-formed JSON (or binary) but breaks a rule: a limit, a dimension, an id,
    /// a filter, a damaged snapshot file.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>400: a body that is not the JSON the route takes (syntax, types), or a malformed request target.</summary>
    public const string InvalidBody = "invalid_body";

    /// <summary>401: a bearer token is required, or the one sent is not valid.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>403: the token may only read, or the request came from a page of another site.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>413: the body is larger than the route accepts.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>415: the body's Content-Type is not the one the route takes.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>507: the write would pass a capacity limit, or the node ran out of memory; nothing was changed.</summary>
    public const string IndexFull = "index_full";

    /// <summary>503: storage refused or failed; nothing was changed (on a sharded index, see <c>applied_shards</c>).</summary>
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>503: the index's stored data cannot be loaded as it is; retry after it is reloaded or repaired.</summary>
    public const string IndexCorrupt = "index_corrupt";

    /// <summary>503: the node or the cluster cannot serve now (too many requests in flight, silos unreachable).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>503: evaluating the request's filter took longer than <c>Filters:MaxEvaluationTime</c> and was stopped;
    /// nothing was changed. Repeating it as it is will likely take as long.</summary>
    public const string FilterTimeout = "filter_timeout";

    /// <summary>504: the call outlived its deadline; a write may still take effect.</summary>
    public const string OutcomeUnknown = "outcome_unknown";

    /// <summary>Any other status, named after it (e.g. <c>http_408</c>).</summary>
    public static string ForStatus(int status) => status switch
    {
        404 or 405 => RouteNotFound,
        400 => InvalidBody,
        401 => Unauthenticated,
        403 => Forbidden,
        413 => BodyTooLarge,
        415 => UnsupportedMediaType,
        503 => Unavailable,
        504 => OutcomeUnknown,
        507 => IndexFull,
        _ => $"http_{status}",
    };
}
