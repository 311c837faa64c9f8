using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vectord.Grains.Hosting;
using Vectord.Gateway;
using Vectord.Storage;

namespace Vectord.Bench.Service;

/// <summary>Where a bench silo keeps its data: a directory (<c>file</c> provider) or an Azure blob container.</summary>
/// <param name="Directory">Directory of the <c>file</c> provider; null when <paramref name="AzureConnectionString"/> is set.</param>
/// <param name="AzureConnectionString">Connection string of the <c>azureblob</c> provider (e.g. Azurite).</param>
/// <param name="Container">Blob container of the <c>azureblob</c> provider.</param>
internal sealed record BenchStorage(string? Directory, string? AzureConnectionString, string Container = "vectord-bench")
{
    /// <summary><c>Storage:SnapshotLogRatio</c>; null keeps the silo's default.</summary>
    public double? SnapshotRatio { get; init; }

    /// <summary><c>Storage:SnapshotOnDeactivate</c>.</summary>
    public bool SnapshotOnStop { get; init; }

    /// <summary>The storage provider, as reported in results: <c>file</c> or <c>azureblob</c>.</summary>
    public string Provider => AzureConnectionString is null ? "file" : "azureblob";

    public string Describe() => (AzureConnectionString is null ? $"file {Directory}" : $"azureblob container {Container}") +
        (SnapshotRatio is { } r ? FormattableString.Invariant($", snapshot ratio {r}") : "") +
        (SnapshotOnStop ? ", snapshot on deactivation" : "");

    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration()
    {
        yield return new("Storage:SnapshotOnDeactivate", SnapshotOnStop ? "true" : "false");
        if (SnapshotRatio is { } ratio)
        {
            yield return new("Storage:SnapshotLogRatio", ratio.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (AzureConnectionString is null)
        {
            yield return new("Storage:Provider", "file");
            yield return new("Storage:Path", Directory);
        }
        else
        {
            yield return new("Storage:Provider", "azureblob");
            yield return new("Storage:ConnectionString", AzureConnectionString);
            yield return new("Storage:Container", Container);
        }
    }
}

/// <summary>
/// One real in-process Orleans silo (localhost clustering on free loopback ports) with the Vectord grains and the
/// <c>storaged</c> storage of <see cref="BenchStorage"/>; the storage is wrapped in a <see cref="CountingBlobStore"/>
/// so a mode can read the bytes written. Grains are called through the host's <see cref="IGrainFactory"/>.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private BenchSilo(IHost host, CountingBlobStore store)
    {
        _host = host;
        Store = store;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public CountingBlobStore Store { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a silo. <paramref name="configure"/> may add to the builder (e.g. Kestrel and the HTTP API);
    /// <paramref name="build"/> builds the host from the configured builder (default: a plain host).</summary>
    public static async Task<BenchSilo> StartAsync<TBuilder>(TBuilder builder, BenchStorage storage, Func<TBuilder, IHost> build,
        CancellationToken cancellationToken)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(build);
        builder.Configuration.AddInMemoryCollection(storage.ToConfiguration());
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Error);
        var siloPort = FreeTcpPort();
        var gatewayPort = FreeTcpPort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.AddVectord(builder.Configuration);
        });

        // Replace the store AddVectord registered with the same backend behind a byte counter.
        var settings = new VectordStorageOptions();
        builder.Configuration.GetSection(VectordStorageOptions.SectionName).Bind(settings);
        var counting = new CountingBlobStore(VectordSiloBuilderExtensions.CreateStore(settings));
        builder.Services.AddKeyedSingleton<IIndexBlobStore>(VectordStorageOptions.ProviderName, counting);

        var host = build(builder);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new BenchSilo(host, counting);
    }

    /// <summary>Starts a plain silo host (no HTTP).</summary>
    public static Task<BenchSilo> StartAsync(BenchStorage storage, CancellationToken cancellationToken) =>
        StartAsync(Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true }),
            storage, b => b.Build(), cancellationToken);

    /// <summary>Starts a silo with the gateway's HTTP API on Kestrel, on a free loopback port (<see cref="HttpAddress"/>).</summary>
    public static async Task<BenchSilo> StartWithHttpAsync(BenchStorage storage, CancellationToken cancellationToken)
    {
        var port = FreeTcpPort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        builder.Services.AddVectordGateway(builder.Configuration);
        var silo = await StartAsync(builder, storage, b =>
        {
            var app = b.Build();
            app.MapVectordApi();
            return app;
        }, cancellationToken).ConfigureAwait(false);
        silo.HttpAddress = new Uri(FormattableString.Invariant($"http://127.0.0.1:{port}/"));
        return silo;
    }

    /// <summary>Where the HTTP API listens, when started with <see cref="StartWithHttpAsync"/>.</summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>Stops the silo gracefully: every activation is deactivated before this returns.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }

    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
