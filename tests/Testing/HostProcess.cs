using System.Globalization;
using System.Net;

namespace Vectord.Testing;

/// <summary>
/// A built Vectord host (<c>Vectord.Silo</c> or <c>Vectord.Gateway</c>) run as its own process, <c>dotnet X.dll --urls
/// http://127.0.0.1:PORT args</c>, on a free loopback port; killed with its tree by pid on dispose.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private HostProcess(ServerProcess process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A short name used in messages.</summary>
    public string Name => _process.Name;

    /// <summary>The operating-system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The HTTP port it listens on.</summary>
    public int HttpPort { get; }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the host's HTTP API.</summary>
    public HttpClient Client { get; }

    /// <summary>What the process printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the host <paramref name="project"/> (built in the tests' configuration) with command-line
    /// configuration <paramref name="args"/> and any extra <paramref name="environment"/> variables; does not wait for it.</summary>
    public static HostProcess Start(string name, string project, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var dll = RepositoryPaths.ProjectDll(project);
        int port = FreePort.Next();
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Vectord"] = "Information",
        };
        var process = ServerProcess.Start(name, "dotnet",
            [dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. args],
            variables, Path.GetDirectoryName(dll));
        return new HostProcess(process, port);
    }

    /// <summary>Starts the host and waits until its HTTP port accepts connections.</summary>
    public static async Task<HostProcess> StartListeningAsync(string name, string project, IEnumerable<string> args,
        CancellationToken cancellationToken = default)
    {
        var host = Start(name, project, args);
        try
        {
            await FreePort.WaitListeningAsync(host.HttpPort, TimeSpan.FromSeconds(60), host.Describe, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>GET /health</c> until it answers 200 (for a standalone gateway: connected to its cluster).</summary>
    /// <exception cref="TimeoutException">Not healthy within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The process exited.</exception>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var problem = await Eventually.ReadAsync(() => ProbeHealthAsync(cancellationToken), p => p is null, timeout, cancellationToken);
        if (problem is not null)
        {
            throw new TimeoutException($"{Name} was not healthy within {timeout.TotalSeconds:0} s (last: {problem}):\n{Describe()}");
        }
    }

    /// <summary>One <c>GET /health</c>: null if it answered 200, else what came instead.</summary>
    /// <exception cref="InvalidOperationException">The process exited.</exception>
    private async Task<string?> ProbeHealthAsync(CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"{Name} exited early:\n{Describe()}");
        }
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(5));   // one probe never eats the whole wait
        try
        {
            using var response = await Client.GetAsync(new Uri("health", UriKind.Relative), attempt.Token);
            return response.StatusCode == HttpStatusCode.OK
                ? null
                : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(attempt.Token)}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within 5 s";
        }
    }

    /// <summary>kill -9 of the process tree: no shutdown, no flush.</summary>
    public Task KillHardAsync() => _process.KillAsync();

    /// <summary>SIGTERM, then the exit code (null if still running after <paramref name="timeout"/>).</summary>
    public Task<int?> TerminateAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    /// <summary>Describes the process and its recent output, for assertion messages.</summary>
    public string Describe() => _process.Describe();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}
