using StackExchange.Redis;
using Vectord.Gateway;
using Vectord.Gateway.Infrastructure;

// Standalone gateway: an Orleans client of the cluster named in configuration, serving the HTTP API.
// Settings (appsettings.json) come from beside the binaries, wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}

// Kestrel listens while the client connects: /health answers 503 until the cluster is reachable.
builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);

builder.UseOrleansClient(client =>
{
    client.Services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectionRetry>();
    var cluster = builder.Configuration.GetSection("Cluster");
    string provider = cluster["Provider"] ?? "localhost";
    string clusterId = cluster["ClusterId"] ?? "vectord";
    string serviceId = cluster["ServiceId"] ?? "vectord";
    if (string.Equals(provider, "redis", StringComparison.OrdinalIgnoreCase))
    {
        string connection = cluster["ConnectionString"] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Cluster:ConnectionString is required when Cluster:Provider is redis");
        client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(connection));
        client.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
    }
    else if (string.Equals(provider, "localhost", StringComparison.OrdinalIgnoreCase))
    {
        client.UseLocalhostClustering(cluster.GetValue("GatewayPort", 30000), serviceId, clusterId);
    }
    else
    {
        throw new InvalidOperationException($"unknown Cluster:Provider \"{provider}\" (expected localhost or redis)");
    }
});

builder.Services.AddVectordGateway(builder.Configuration);

var app = builder.Build();
app.MapVectordApi();
var stopping = app.Lifetime.ApplicationStopping;   // read now: the host's services are gone once RunAsync throws
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    // Asked to stop while still connecting to the cluster: a normal shutdown.
}

/// <summary>The standalone gateway's entry point.</summary>
public partial class Program;
