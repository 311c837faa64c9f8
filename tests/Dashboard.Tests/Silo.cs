using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vectord.Testing;

namespace Vectord.Dashboard.Tests;

/// <summary>A real silo process (co-hosting the gateway and the dashboard) on loopback free ports, storing in a
/// directory of its own; stopped and deleted on dispose.</summary>
public sealed class Silo : IAsyncDisposable
{
    public const string AdminToken = "admin-token-4c1f";
    public const string ReaderToken = "reader-token-9d2e";

    private readonly TempDirectory _data;
    private readonly HostProcess _process;
    private bool _keepData;

    private Silo(TempDirectory data, HostProcess process, bool auth)
    {
        _data = data;
        _process = process;
        Api = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (auth)
        {
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        }
    }

    /// <summary>Where the silo serves HTTP.</summary>
    public Uri BaseAddress => _process.BaseAddress;

    /// <summary>A read-write client of the HTTP API (with the admin token when auth is on).</summary>
    public HttpClient Api { get; }

    /// <summary>The storage directory.</summary>
    public string DataPath => _data.Path;

    /// <summary>Starts a silo on <paramref name="data"/> (a new directory when null), with the admin and reader
    /// tokens when <paramref name="auth"/>, and waits until it is healthy.</summary>
    public static async Task<Silo> StartAsync(bool auth, TempDirectory? data = null, params string[] extra)
    {
        data ??= new TempDirectory("vectord-dash");
        string[] args =
        [
            $"--Storage:Path={data.Path}",
            $"--Cluster:SiloPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            $"--Cluster:GatewayPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            .. auth ? (string[])[$"--Auth:Tokens:0={AdminToken}", $"--Auth:ReadOnlyTokens:0={ReaderToken}"] : [],
            .. extra,
        ];
        var process = HostProcess.Start("silo", "Vectord.Silo", args);
        try
        {
            await process.WaitHealthyAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new Silo(data, process, auth);
    }

    /// <summary>Creates an index over the API.</summary>
    public async Task CreateIndexAsync(string name, int dimension, string distance = "euclidean")
    {
        using var response = await Api.PostAsJsonAsync("vectors/index", new { name, dimension, distance }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Adds items over the API.</summary>
    public async Task AddAsync(string name, params object[] items)
    {
        using var response = await Api.PostAsJsonAsync($"vectors/index/{name}/add", new { items }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Stops the silo gracefully (SIGTERM) and keeps its storage directory for a restart.</summary>
    public async Task<TempDirectory> StopKeepingDataAsync()
    {
        _keepData = true;
        Api.Dispose();
        await _process.TerminateAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
        return _data;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _process.DisposeAsync();
        if (!_keepData)
        {
            _data.Dispose();
        }
    }
}

/// <summary>One silo with auth on (an admin and a read-only token), shared by the tests of a class.</summary>
public sealed class AuthSiloFixture : IAsyncLifetime
{
    public Silo Silo { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Silo = await Silo.StartAsync(auth: true);

    public async ValueTask DisposeAsync()
    {
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
    }
}
