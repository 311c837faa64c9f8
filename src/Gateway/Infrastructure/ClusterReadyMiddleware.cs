namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Answers the API routes and <c>/health</c> with 503 until the host has started. A standalone gateway starts
/// Kestrel while its Orleans client is still connecting; until the connection is made, a grain call could not even
/// be addressed, so the request is refused here with a clear reason instead.
/// </summary>
internal sealed class ClusterReadyMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested
            && (context.Request.Path.StartsWithSegments("/vectors", StringComparison.OrdinalIgnoreCase)
                || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ClusterUnavailableException("not connected to the cluster yet");
        }
        return next(context);
    }
}
