using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Vectord.Gateway.Tests;

/// <summary>
/// The standalone gateway (<c>Vectord.Gateway</c>'s Program) run as its own process: an Orleans client of a
/// silo's gateway port, listening on a loopback port Kestrel picks. Killed by pid on dispose.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where the process listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the process.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the gateway with command-line configuration <paramref name="args"/>.</summary>
    public static async Task<GatewayProcess> StartAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(LocateGateway());
        foreach (string arg in (string[])["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
                     "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information", .. args])
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the gateway");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            Uri address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new GatewayProcess(process, address);
        }
        catch (TimeoutException)
        {
            Kill(process);
            throw new InvalidOperationException("the gateway did not start listening:\n" + string.Join('\n', output));
        }
    }

    /// <summary>Kills the process tree by pid and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kill(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static string LocateGateway()
    {
        // Next to the tests when the build copies it with its runtime files; else in the artifacts tree.
        string local = Path.Combine(AppContext.BaseDirectory, "Vectord.Gateway.dll");
        if (File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
        {
            return local;
        }
        string configuration = typeof(GatewayProcess).Assembly
            .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration.ToLowerInvariant() ?? "release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "artifacts", "bin", "Vectord.Gateway", configuration, "Vectord.Gateway.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("Vectord.Gateway.dll not found; build src/Gateway first");
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
