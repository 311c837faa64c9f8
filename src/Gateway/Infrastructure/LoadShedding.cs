using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Bounds the index requests (<c>/vectors/...</c>) a node works on at once, reads and writes each on their own: up to
/// <see cref="GatewayLimits.MaxConcurrentRequests"/> of each run, up to <see cref="GatewayLimits.MaxQueuedRequests"/>
/// of each wait (oldest first) before their bodies are read, and any further one is answered 503 with
/// <c>Retry-After</c> at once, having changed nothing. Reads (<see cref="Auth.ReadRoutes"/>, the rule read-only tokens
/// follow) never wait behind writes: while a node that died held a shard's primary, writes to that shard wait for it
/// to load elsewhere, and would otherwise take every slot from the searches the other copies answer. Health, metrics and the dashboard's
/// assets are never held back.
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
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RequestKind>(context =>
            !context.Request.Path.StartsWithSegments("/vectors", StringComparison.Ordinal) ? RateLimitPartition.GetNoLimiter(RequestKind.Other)
            : Auth.ReadRoutes.IsRead(context.Request.Method, context.Request.Path) ? RateLimitPartition.GetConcurrencyLimiter(RequestKind.Read, _ => permits)
            : RateLimitPartition.GetConcurrencyLimiter(RequestKind.Write, _ => permits));
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

    private enum RequestKind
    {
        Other,
        Read,
        Write,
    }
}
