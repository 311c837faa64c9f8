using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Vectord.Gateway.Apis;
using Vectord.Gateway.Auth;
using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;
using Vectord.Gateway.Operations;

namespace Vectord.Gateway;

/// <summary>
/// Registers and maps the Vectord HTTP API. The same two calls serve the standalone gateway (an Orleans client)
/// and a silo that hosts the API itself: handlers only need <see cref="IGrainFactory"/>.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>The meter whose instruments the silos report (index parts, searches, writes); exported at
    /// <c>/metrics</c> by a node that hosts a silo.</summary>
    public const string VectordMeterName = "Vectord";

    /// <summary>Name of OpenTelemetry's metrics listener in Microsoft.Extensions.Diagnostics.</summary>
    private const string OpenTelemetryListenerName = "OpenTelemetry";

    /// <summary>
    /// Adds the gateway's services: JSON contracts, ProblemDetails and the exception mapping, the request limits
    /// (<c>Limits</c>: body sizes and rates, connections, requests in progress; validated at start), the largest snapshot a restore takes (<c>Snapshots:MaxUploadBytes</c>, validated at start), bearer-token options (<c>Auth:Tokens</c>, <c>Auth:ReadOnlyTokens</c>, validated at start), the index grain references, OpenAPI and OpenTelemetry
    /// metrics with a Prometheus exporter. Needs an <see cref="IGrainFactory"/> (an Orleans silo or client).
    /// </summary>
    public static IServiceCollection AddVectordGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GatewayLimits>().Bind(configuration.GetSection(GatewayLimits.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayLimits>, GatewayLimitsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayLimits>>((kestrel, limits) => Apply(kestrel.Limits, limits.Value));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayLimits>>((shedding, limits) => LoadShedding.Configure(shedding, limits.Value));
        services.Configure<JsonOptions>(o =>
        {
            // Responses are written with these options: the contract's snake_case names, source-generated metadata.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, OperatorJsonContext.Default);
        });
        // Query-string binding failures become exceptions so that they reach the one exception handler.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Answers written without an exception (a path or method with no route, load shedding) get their code here.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("code", ProblemCodes.ForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode)));
        services.AddExceptionHandler<VectordExceptionHandler>();
        IConfigurationSection auth = configuration.GetSection(AuthOptions.SectionName);
        services.AddOptions<AuthOptions>().Bind(auth).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(auth));

        services.AddOptions<SnapshotOptions>().Bind(configuration.GetSection(SnapshotOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SnapshotOptions>, SnapshotOptionsValidator>();
        services.AddSingleton<IndexGrains>();
        services.AddSingleton<ClusterView>();
        services.AddSingleton<DashboardAssets>();
        services.AddOpenApi();
        // The Vectord meter is taken only from this host's own IMeterFactory (MeterScope.Local), never by name from the
        // whole process: several nodes in one process (tests, embedding hosts) each export exactly their own parts.
        // ASP.NET Core's request and connection meters likewise, rather than by name process-wide
        // (AddAspNetCoreInstrumentation), where another host in the process stopping could drop this one's series.
        services.AddMetrics(metrics => metrics
            .EnableMetrics(VectordMeterName, instrumentName: null, listenerName: OpenTelemetryListenerName, scopes: MeterScope.Local)
            .EnableMetrics("Microsoft.AspNetCore.Hosting", instrumentName: null, listenerName: OpenTelemetryListenerName, scopes: MeterScope.Local)
            .EnableMetrics("Microsoft.AspNetCore.Server.Kestrel", instrumentName: null, listenerName: OpenTelemetryListenerName, scopes: MeterScope.Local));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // No scrape cache (300 ms by default): a scrape shows the state at that moment, not an earlier copy.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// Adds the middleware (ProblemDetails for errors and bare status codes, refusal of dot segments in the request
    /// target, refusal of writes sent by pages of other sites, bearer-token check, the declared body types) and maps every
    /// route: <c>/vectors/index...</c>, <c>/health</c>, <c>/auth/whoami</c>, <c>/cluster/...</c>, the dashboard
    /// (<c>/</c> → <c>/dashboard/</c>), <c>/openapi/v1.json</c>, <c>/scalar</c> and <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapVectordApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<DotSegmentMiddleware>();   // on the target as sent, before routing resolves its dots
        app.UseMiddleware<CrossSiteMiddleware>();   // auth on or off
        app.UseMiddleware<BearerTokenMiddleware>();
        app.UseMiddleware<ContentTypeMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ClusterReadyMiddleware>();
        app.UseRateLimiter();

        app.MapIndexesApi();
        app.MapItemsApi();
        app.MapSnapshotsApi();
        app.MapHealthApi();
        app.MapWhoAmIApi();
        app.MapClusterApi();
        app.MapDashboard();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    /// <summary>Kestrel's connection and body limits from <see cref="GatewayLimits"/>: a body may trickle only so
    /// slowly, headers must arrive in time, and connections are counted.</summary>
    private static void Apply(KestrelServerLimits kestrel, GatewayLimits limits)
    {
        kestrel.MaxRequestBodySize = ItemLimits.MaxRequestBodyBytes;
        kestrel.MaxConcurrentConnections = limits.MaxConnections;
        kestrel.MaxConcurrentUpgradedConnections = limits.MaxConnections;
        kestrel.RequestHeadersTimeout = limits.HeadersTimeout;
        kestrel.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, limits.MinBodyRateGracePeriod);
    }

    /// <summary>Serializer options of the gateway's contracts (snake_case, source-generated).</summary>
    public static JsonSerializerOptions JsonOptions => GatewayJsonContext.Default.Options;
}
