namespace Vectord.Testing;

/// <summary>
/// A real Azurite blob service on 127.0.0.1 at a free port with its data in a temp directory; killed by process id
/// on dispose. It can be stopped and started again on the same port and data (a storage outage).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _location = new("azurite");
    private ServerProcess? _process;

    private AzuriteServer(int port) => Port = port;

    /// <summary>The blob port.</summary>
    public int Port { get; }

    /// <summary>An Azure Storage connection string for the well-known development account.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// The azurite-blob executable: <c>VECTORD_AZURITE</c> if set, else the copy the test command installs under
    /// <c>.tools/azurite</c> in the repository.
    /// </summary>
    public static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("VECTORD_AZURITE");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "azurite", "node_modules", ".bin", "azurite-blob");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("azurite-blob not found: run scripts/test.sh (it installs Azurite) or set VECTORD_AZURITE");
    }

    /// <summary>Starts Azurite and waits until it accepts connections.</summary>
    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer(FreePort.Next());
        try
        {
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and data directory.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _process = ServerProcess.Start("azurite", FindExecutable(),
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--location", _location.Path, "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--loose"]);
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(60), _process.Describe, cancellationToken);
    }

    /// <summary>Kills the server (a storage outage); its data stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _location.Dispose();
    }
}
