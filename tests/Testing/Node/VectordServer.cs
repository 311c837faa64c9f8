using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;
using Vectord.Gateway;
using Vectord.Grains.Hosting;

namespace Vectord.Testing;

/// <summary>
/// One real node: a WebApplication that is an Orleans silo (localhost clustering on free ports, file storage in
/// a directory) and serves the gateway endpoints on Kestrel at a free loopback port.
/// </summary>
public sealed class VectordServer : IAsyncDisposable
{
    /// <summary>Cluster and service id of the node (the standalone gateway's default).</summary>
    public const string ClusterName = "vectord";

    private readonly WebApplication _app;
    private bool _disposed;

    private VectordServer(WebApplication app, Uri baseAddress, int gatewayPort, string dataPath)
    {
        _app = app;
        BaseAddress = baseAddress;
        GatewayPort = gatewayPort;
        DataPath = dataPath;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where Kestrel listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The silo's Orleans gateway port (for standalone gateways).</summary>
    public int GatewayPort { get; }

    /// <summary>The storage directory.</summary>
    public string DataPath { get; }

    /// <summary>A client of this node.</summary>
    public HttpClient Client { get; }

    /// <summary>The node's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a node storing under <paramref name="dataPath"/>, with extra configuration and, when given, a fixed
    /// Orleans gateway port; membership is localhost clustering, or Redis at <paramref name="redisClustering"/>.
    /// </summary>
    public static async Task<VectordServer> StartAsync(string dataPath, IDictionary<string, string?>? settings = null,
        int? gatewayPortOverride = null, string? redisClustering = null)
    {
        int siloPort = FreePort.Next();
        int gatewayPort = gatewayPortOverride ?? FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var config = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = dataPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.UseOrleans(silo =>
        {
            if (redisClustering is null)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ClusterName, clusterId: ClusterName);
            }
            else
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redisClustering));
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterName, ClusterName));
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
            }
            silo.AddVectord(builder.Configuration);
        });
        builder.Services.AddVectordGateway(builder.Configuration);

        var app = builder.Build();
        app.MapVectordApi();
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        return new VectordServer(app, address, gatewayPort, dataPath);
    }

    /// <summary>Stops the node (bounded) and releases its ports; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
