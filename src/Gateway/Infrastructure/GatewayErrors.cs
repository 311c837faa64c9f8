namespace Vectord.Gateway.Infrastructure;

/// <summary>The request carries no valid bearer token while authentication is on (401).</summary>
internal sealed class UnauthenticatedException() : Exception("a valid bearer token is required (Authorization: Bearer <token>)");

/// <summary>The cluster cannot be reached or did not answer in time (503).</summary>
internal sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The index exists but has no item with that id (404).</summary>
internal sealed class ItemNotFoundException(string id) : Exception($"item \"{id}\" not found");

/// <summary>A request its token or origin may not make (403): a read-only token on a route that writes or on the
/// Orleans dashboard, or a browser request from another site.</summary>
internal sealed class ForbiddenException(string message) : Exception(message)
{
    /// <summary>A read-only token on a route that writes.</summary>
    public const string ReadOnlyToken = "this token may only read: writes need a read-write token";

    /// <summary>A read-only token on the Orleans dashboard, whose pages show the silos' logs and grains.</summary>
    public const string OrleansDashboard = "the Orleans dashboard (/orleans/) needs a read-write token";
}
