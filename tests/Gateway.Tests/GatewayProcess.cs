using System.Globalization;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>
/// The standalone gateway (the built <c>Vectord.Gateway.dll</c>) run as its own process: an Orleans client of a
/// silo's gateway port, listening on a free loopback port. Killed by pid on dispose.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private GatewayProcess(ServerProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where the process listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the process.</summary>
    public HttpClient Client { get; }

    /// <summary>The process, for failure messages.</summary>
    public ServerProcess Process => _process;

    /// <summary>Starts the gateway with command-line configuration <paramref name="args"/> and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(params string[] args)
    {
        int port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        string[] arguments =
        [
            "exec", RepositoryPaths.ProjectDll("Vectord.Gateway"),
            "--urls", address.ToString().TrimEnd('/'),
            "--Logging:LogLevel:Default", "Warning",
            .. args,
        ];
        var process = ServerProcess.Start("gateway", "dotnet", arguments,
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        try
        {
            await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(60), process.Describe);
            return new GatewayProcess(process, address);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process tree by pid and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}
