using Microsoft.AspNetCore.Http.HttpResults;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Apis;

/// <summary><c>GET /health</c>: 200 when the cluster answers through this node.</summary>
public static class HealthApi
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the health route (never behind authentication).</summary>
    public static RouteHandlerBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", CheckAsync).WithName("Health").WithTags("Health")
            .WithSummary("200 when the node can serve (the cluster answers)")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<JsonOk<HealthResponse>> CheckAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            // WaitAsync bounds the wait and follows the request's cancellation.
#pragma warning disable CA2016 // the grain call takes no token
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)
                .WaitAsync(s_timeout, cancellationToken);
#pragma warning restore CA2016
            return JsonAnswer.Ok(new HealthResponse("ok", hosts.Count), GatewayJsonContext.Default.HealthResponse);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnavailableException("the cluster is not reachable: " + ex.Message, ex);
        }
    }
}
