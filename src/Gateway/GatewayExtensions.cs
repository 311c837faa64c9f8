using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;
using Vectord.Gateway.Apis;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;

namespace Vectord.Gateway;

/// <summary>
/// Registers and maps the Vectord HTTP API. The same two calls serve the standalone gateway (an Orleans client)
/// and a silo that hosts the API itself: handlers only need <see cref="IGrainFactory"/>.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>Largest accepted request body: 64 MiB.</summary>
    public const long MaxRequestBodySize = 64L * 1024 * 1024;

    /// <summary>
    /// Adds the gateway's services: JSON contracts, ProblemDetails and the exception mapping, the 64 MiB body
    /// limit, bearer-token options (<c>Auth:Tokens</c>), the index grain references, OpenAPI and OpenTelemetry
    /// metrics with a Prometheus exporter. Needs an <see cref="IGrainFactory"/> (an Orleans silo or client).
    /// </summary>
    public static IServiceCollection AddVectordGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodySize);
        services.Configure<JsonOptions>(o =>
        {
            // Responses are written with these options: the contract's snake_case names, source-generated metadata.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
        });
        // Query-string binding failures become exceptions so that they reach the one exception handler.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddProblemDetails();
        services.AddExceptionHandler<VectordExceptionHandler>();
        services.AddOptions<AuthOptions>().Configure(o =>
        {
            foreach (string? token in configuration.GetSection("Auth:Tokens").GetChildren().Select(c => c.Value))
            {
                if (!string.IsNullOrEmpty(token))
                {
                    o.Tokens.Add(token);
                }
            }
        });

        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<IndexGrains>();
        services.AddOpenApi();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Adds the middleware (ProblemDetails for errors and bare status codes, bearer-token check) and maps every
    /// route: <c>/vectors/index...</c>, <c>/health</c>, <c>/openapi/v1.json</c>, <c>/scalar</c> and <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapVectordApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.UseMiddleware<ClusterReadyMiddleware>();

        app.MapIndexesApi();
        app.MapItemsApi();
        app.MapHealthApi();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    /// <summary>Serializer options of the gateway's contracts (snake_case, source-generated).</summary>
    public static JsonSerializerOptions JsonOptions => GatewayJsonContext.Default.Options;
}
