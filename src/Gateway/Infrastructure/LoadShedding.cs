using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Bounds the index requests (<c>/vectors/...</c>) a node works on at once: up to
/// <see cref="GatewayLimits.MaxConcurrentRequests"/> run, up to <see cref="GatewayLimits.MaxQueuedRequests"/> wait
/// (oldest first) before their bodies are read, and any further one is answered 503 with <c>Retry-After</c> at once,
/// having changed nothing. Health, metrics and the dashboard's assets are never held back.
/// </summary>
internal static class LoadShedding
{
    private const string Busy = "the node is at its limit of requests in progress; nothing was changed, retry later";

    public static void Configure(RateLimiterOptions options, GatewayLimits limits)
    {
        var permits = new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrentRequests,
            QueueLimit = limits.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, bool>(context =>
            context.Request.Path.StartsWithSegments("/vectors", StringComparison.Ordinal)
                ? RateLimitPartition.GetConcurrencyLimiter(true, _ => permits)
                : RateLimitPartition.GetNoLimiter(false));
        options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
        options.OnRejected = async (rejected, _) =>
        {
            var context = rejected.HttpContext;
            context.Response.Headers.RetryAfter = "1";
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service Unavailable",
                    Detail = Busy,
                    Extensions = { ["traceId"] = context.TraceIdentifier },
                },
            });
        };
    }
}
