using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vectord.Testing;

namespace Vectord.Bench.Cluster;

/// <summary>
/// A cluster of real processes on loopback: redis-server for membership, Azurite for index data, <c>silos</c> silo
/// processes (<c>Vectord.Silo</c>, built in this configuration) and one standalone gateway (<c>Vectord.Gateway</c>, an
/// Orleans client), all on free ports; every process is killed by pid when the cluster is disposed.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly AzuriteServer _azurite;
    private readonly string _clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<SiloSlot> _silos = [];
    private readonly string[] _siloSettings;

    private LoopbackCluster(RedisServer redis, AzuriteServer azurite, string[] siloSettings)
    {
        _redis = redis;
        _azurite = azurite;
        _siloSettings = siloSettings;
    }

    /// <summary>The gateway process.</summary>
    public HostProcess Gateway { get; private set; } = null!;

    /// <summary>A client of the gateway's HTTP API.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silos, in start order.</summary>
    public IReadOnlyList<SiloSlot> Silos => _silos;

    /// <summary>Starts Redis, Azurite, the silos (each also given <paramref name="siloSettings"/>, command-line settings
    /// such as <c>--Storage:SnapshotLogRatio=0.25</c>) and the gateway, and waits until each answers its health check.</summary>
    public static async Task<LoopbackCluster> StartAsync(int silos, string[] siloSettings, CancellationToken cancellationToken)
    {
        var redis = await RedisServer.StartAsync(cancellationToken).ConfigureAwait(false);
        AzuriteServer azurite;
        try
        {
            azurite = await AzuriteServer.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var cluster = new LoopbackCluster(redis, azurite, siloSettings);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var slot = new SiloSlot($"silo-{i}", FreePort.Next(), FreePort.Next());
                cluster._silos.Add(slot);
                slot.Process = cluster.StartSilo(slot);
            }
            foreach (var slot in cluster._silos) { await slot.Process.WaitHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false); }
            cluster.Gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", cluster.ClusterArgs());
            await cluster.Gateway.WaitHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            cluster.Http = new HttpClient { BaseAddress = cluster.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The silo whose Orleans endpoint is <paramref name="endpoint"/> (<c>127.0.0.1:port</c>), as the shards route names it.</summary>
    public SiloSlot SiloAt(string endpoint) =>
        _silos.First(s => endpoint.EndsWith(":" + s.SiloPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    /// <summary>Stops a silo gracefully (SIGTERM, waiting for it to leave), starts it again on the same ports and waits
    /// until it answers its health check.</summary>
    public async Task RestartAsync(SiloSlot slot, CancellationToken cancellationToken)
    {
        await slot.Process.TerminateAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        slot.EarlierOutput += slot.Process.Output + "\n---- restarted ----\n";
        await slot.Process.DisposeAsync().ConfigureAwait(false);
        slot.Process = StartSilo(slot);
        await slot.Process.WaitHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The copies of an index's shards as the gateway lists them.</summary>
    public async Task<JsonArray> CopiesAsync(string index, CancellationToken cancellationToken) =>
        (await Http.GetFromJsonAsync<JsonObject>($"vectors/index/{index}/shards", cancellationToken).ConfigureAwait(false))!["shards"]!.AsArray();

    private HostProcess StartSilo(SiloSlot slot) => HostProcess.Start(slot.Name, "Vectord.Silo",
    [
        .. ClusterArgs(), $"--Cluster:SiloPort={slot.SiloPort}", $"--Cluster:GatewayPort={slot.GatewayPort}",
        "--Cluster:AdvertisedHost=127.0.0.1", "--Storage:Provider=azureblob",
        $"--Storage:ConnectionString={_azurite.ConnectionString}", "--Storage:Container=failover", .. _siloSettings,
    ]);

    private string[] ClusterArgs() =>
        ["--Cluster:Provider=redis", $"--Cluster:ConnectionString={_redis.ConnectionString}", $"--Cluster:ClusterId={_clusterId}",
         "--Logging:Console:FormatterName=simple", "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ",
         "--Logging:Console:FormatterOptions:SingleLine=true"];

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Gateway is not null) { await Gateway.DisposeAsync().ConfigureAwait(false); }
        foreach (var slot in _silos.Where(s => s.Process is not null)) { await slot.Process.DisposeAsync().ConfigureAwait(false); }
        await _azurite.DisposeAsync().ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One silo of a <see cref="LoopbackCluster"/>: its ports and its current process.</summary>
internal sealed class SiloSlot(string name, int siloPort, int gatewayPort)
{
    public string Name { get; } = name;
    public int SiloPort { get; } = siloPort;
    public int GatewayPort { get; } = gatewayPort;
    public HostProcess Process { get; set; } = null!;

    /// <summary>What the silo's earlier processes wrote, oldest first.</summary>
    public string EarlierOutput { get; set; } = "";

    /// <summary>Everything the silo's processes wrote, oldest first.</summary>
    public string Log => EarlierOutput + Process.Output;
}
