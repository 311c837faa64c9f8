using Vectord.Gateway.Auth;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;
using Vectord.Gateway.Operations;

namespace Vectord.Gateway.Apis;

/// <summary>The routes the dashboard needs beyond the index API: the token's role and the cluster view.</summary>
public static class OperatorApi
{
    /// <summary>Maps <c>GET /auth/whoami</c>.</summary>
    public static RouteHandlerBuilder MapWhoAmIApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/auth/whoami", WhoAmI).WithName("WhoAmI").WithTags("Operator")
            .WithSummary("Whether auth is on and what the request's token may do (read-write or read-only)")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>Maps <c>GET /cluster/silos</c> and <c>GET /cluster/indexes</c>.</summary>
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cluster").WithTags("Operator")
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/silos", SilosAsync).WithName("ClusterSilos")
            .WithSummary("The silos (status, index parts held, memory, cumulative search and ingest counters) and the cluster's totals");
        group.MapGet("/indexes", IndexesAsync).WithName("ClusterIndexes")
            .WithSummary("One page of index summaries in name order (parameters, length, holding silos, or the index's error)");
        return group;
    }

    internal static JsonOk<WhoAmIResponse> WhoAmI(HttpContext context, Microsoft.Extensions.Options.IOptions<AuthOptions> options) =>
        JsonAnswer.Ok(new WhoAmIResponse(options.Value.Enabled,
            BearerTokenMiddleware.AccessOf(context) == Access.ReadOnly ? "read-only" : "read-write"),
            OperatorJsonContext.Default.WhoAmIResponse);

    internal static async Task<JsonOk<ClusterSilosResponse>> SilosAsync(ClusterView cluster) =>
        JsonAnswer.Ok(await cluster.SilosAsync(), OperatorJsonContext.Default.ClusterSilosResponse);

    internal static async Task<JsonOk<IndexSummaryPage>> IndexesAsync(ClusterView cluster,
        string? after = null, int? limit = null, string? q = null) =>
        JsonAnswer.Ok(await cluster.IndexesAsync(after, limit ?? 100, q), OperatorJsonContext.Default.IndexSummaryPage);
}
