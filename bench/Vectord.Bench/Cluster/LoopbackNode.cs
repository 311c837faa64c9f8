using Vectord.Testing;

namespace Vectord.Bench.Cluster;

/// <summary>
/// One node as a user runs it, in real processes on loopback: a silo process (<c>Vectord.Silo</c>, built in this
/// configuration; localhost clustering on free ports, the embedded file storage in a fresh temporary directory) and a
/// standalone gateway process (<c>Vectord.Gateway</c>, an Orleans client of that silo) serving the HTTP API. Both are
/// killed by pid, and the directory removed, when the node is disposed.
/// </summary>
internal sealed class LoopbackNode : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private LoopbackNode(TempDirectory data, HostProcess silo)
    {
        _data = data;
        Silo = silo;
    }

    /// <summary>The silo process.</summary>
    public HostProcess Silo { get; }

    /// <summary>The gateway process.</summary>
    public HostProcess Gateway { get; private set; } = null!;

    /// <summary>A client of the gateway's HTTP API.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Where the silo stores the indexes.</summary>
    public string DataPath => _data.Path;

    /// <summary>Starts the silo, waits until it answers its health check, then the gateway, and waits for it.</summary>
    public static async Task<LoopbackNode> StartAsync(CancellationToken cancellationToken)
    {
        var data = new TempDirectory("vectord-bench-node");
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        string[] cluster = ["--Cluster:Provider=localhost", $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}",
            "--Cluster:ClusterId=bench-node", "--Cluster:ServiceId=bench-node"];
        HostProcess silo;
        try
        {
            silo = HostProcess.Start("silo", "Vectord.Silo", [.. cluster, "--Storage:Provider=file", $"--Storage:Path={data.Path}"]);
        }
        catch
        {
            data.Dispose();
            throw;
        }
        var node = new LoopbackNode(data, silo);
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            node.Gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", cluster);
            await node.Gateway.WaitHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            node.Http = new HttpClient { BaseAddress = node.Gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Gateway is not null) { await Gateway.DisposeAsync().ConfigureAwait(false); }
        await Silo.DisposeAsync().ConfigureAwait(false);
        _data.Dispose();
    }
}
