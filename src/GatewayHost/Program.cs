using Vectord.Clustering;
using Vectord.Gateway;
using Vectord.GatewayHost;

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
    ClusterSettings.From(builder.Configuration).Apply(client);
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
