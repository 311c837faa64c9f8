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

    /// <summary>
    /// Polls <c>/health</c> until it answers 200 (the process has connected to its cluster), for at most
    /// <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="TimeoutException">The gateway did not become healthy in time.</exception>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await Client.GetAsync("/health", TestContext.Current.CancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                throw new TimeoutException($"the gateway is not healthy after {timeout.TotalSeconds:0} s: {(int)response.StatusCode} {body}\n{_process.Describe()}");
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Kills the process tree by pid and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}
