using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Vectord.Grains.Hosting;

namespace Vectord.Grains.Tests;

/// <summary>Starts 2-silo test clusters whose silos are configured through <see cref="VectordSiloBuilderExtensions.AddVectord"/>.</summary>
public static class VectordCluster
{
    /// <summary>Storage settings used by every test cluster on top of the caller's: small snapshots so that
    /// compaction happens after a few writes, and no snapshot on deactivation, so that the files a test damages
    /// are still the ones the next activation reads (a caller can turn it back on).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["Storage:SnapshotMinLogBytes"] = "65536",
        ["Storage:SnapshotOnDeactivate"] = "false",
        ["Storage:IdleMinutes"] = "30",
    };

    /// <summary>Builds and deploys a cluster with the <c>Storage</c> settings given.</summary>
    /// <param name="storage">Storage settings.</param>
    /// <param name="silos">Number of silos.</param>
    /// <param name="quickClientTimeout">Calls from the test client time out after 10 s instead of 30 s, for tests
    /// that kill a silo while calls to it are in flight.</param>
    public static Task<TestCluster> StartAsync(IReadOnlyDictionary<string, string> storage, short silos = 2, bool quickClientTimeout = false) =>
        StartAsync(storage, silos, quickClientTimeout, extra: null);

    /// <summary>A cluster whose client reaches it through the primary silo's gateway only, as a gateway process that
    /// outlives the silos it calls: for tests that kill other silos and count the client's failed calls.</summary>
    public static Task<TestCluster> StartWithOneGatewayAsync(IReadOnlyDictionary<string, string> storage, short silos) =>
        StartAsync(storage, silos, quickClientTimeout: false, extra: b => b.Options.GatewayPerSilo = false);

    /// <summary>As <see cref="StartAsync(IReadOnlyDictionary{string, string}, short, bool)"/>, with one more silo
    /// configurator run after the standard one (it may replace services the standard one registered).</summary>
    public static Task<TestCluster> StartAsync<TExtra>(IReadOnlyDictionary<string, string> storage, short silos = 1)
        where TExtra : ISiloConfigurator, new() =>
        StartAsync(storage, silos, quickClientTimeout: false, extra: b => b.AddSiloBuilderConfigurator<TExtra>());

    private static async Task<TestCluster> StartAsync(IReadOnlyDictionary<string, string> storage, short silos, bool quickClientTimeout, Action<TestClusterBuilder>? extra)
    {
        var builder = new TestClusterBuilder(silos);
        if (quickClientTimeout)
        {
            builder.AddClientBuilderConfigurator<QuickTimeoutClient>();
        }
        foreach (var (key, value) in Defaults) { builder.Properties[key] = value; }
        foreach (var (key, value) in storage) { builder.Properties[key] = value; }
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        extra?.Invoke(builder);
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Stops every silo and releases the cluster.</summary>
    public static async Task StopAsync(TestCluster? cluster)
    {
        if (cluster is null) { return; }
        try
        {
            await cluster.StopAllSilosAsync();
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Deactivates an index grain and waits until its next call runs in a fresh activation, which loads
    /// the index from storage again.</summary>
    public static async Task ReactivateAsync(TestCluster cluster, string name)
    {
        var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
        await cluster.DeactivateAsync(grain);
    }

    private sealed class QuickTimeoutClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddVectord(siloBuilder.Configuration);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            siloBuilder.Services.AddSingleton<CoHostedCatalogService>();
            siloBuilder.Services.AddHostedService(sp => sp.GetRequiredService<CoHostedCatalogService>());
        }
    }
}

/// <summary>A 2-silo cluster on the <c>file</c> backend in a temporary directory, shared by a test collection.</summary>
public sealed class FileClusterFixture : IAsyncLifetime
{
    private readonly Testing.TempDirectory directory = new("vectord-grains");

    /// <summary>The cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The client's grain factory.</summary>
    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The storage root.</summary>
    public string StoragePath => directory.Path;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() =>
        Cluster = await VectordCluster.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = directory.Path,
        });

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await VectordCluster.StopAsync(Cluster);
        directory.Dispose();
    }
}

/// <summary>The collection sharing one <see cref="FileClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FileCluster : ICollectionFixture<FileClusterFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "file cluster";
}
