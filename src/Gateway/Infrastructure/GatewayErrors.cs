namespace Vectord.Gateway.Infrastructure;

/// <summary>The request carries no valid bearer token while authentication is on (401).</summary>
internal sealed class UnauthenticatedException() : Exception("a valid bearer token is required (Authorization: Bearer <token>)");

/// <summary>The cluster cannot be reached or did not answer in time (503).</summary>
internal sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The index exists but has no item with that id (404).</summary>
internal sealed class ItemNotFoundException(string id) : Exception(ProblemTexts.ItemNotFound(id));

/// <summary>A read-only token on a route that writes (403).</summary>
internal sealed class ForbiddenException() : Exception("this token may only read: writes need a read-write token");
