using System.Diagnostics;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>A Vectord host (silo or gateway) started as its own process, `dotnet X.dll --urls ...`, killed by pid on dispose.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private HostProcess(ServerProcess process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public string Name => _process.Name;
    public int HttpPort { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output => _process.Output;

    public static HostProcess Start(string name, string project, int httpPort, IEnumerable<string> args)
    {
        var dll = RepositoryPaths.ProjectDll(project);
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Vectord"] = "Information",
        };
        var process = ServerProcess.Start(name, "dotnet",
            [dll, "--urls", $"http://127.0.0.1:{httpPort}", .. args], environment, Path.GetDirectoryName(dll));
        return new HostProcess(process, httpPort);
    }

    /// <summary>Waits until GET /health answers 200.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited early:\n{_process.Describe()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "health"), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"{Name} was not healthy within {timeout}:\n{_process.Describe()}");
    }

    /// <summary>kill -9: no shutdown, no flush.</summary>
    public Task KillHardAsync() => _process.KillAsync();

    /// <summary>SIGTERM, then the exit code (null if still running after <paramref name="timeout"/>).</summary>
    public Task<int?> TerminateAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    /// <summary>Describes the process and its recent output.</summary>
    public string Describe() => _process.Describe();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
