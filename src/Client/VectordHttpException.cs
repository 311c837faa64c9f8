namespace Vectord.Client;

/// <summary>
/// An error answer of the HTTP API that the <see cref="VectordException"/> family has no type for: 401 (no valid
/// token), 403 (a read-only token on a write), 408 (the body arrived too slowly), 500, or an answer of something
/// in front of the service. <see cref="VectordException.Status"/> is the status; the message is the answer's
/// <c>detail</c>.
/// </summary>
public sealed class VectordHttpException(string message) : VectordException(message);
