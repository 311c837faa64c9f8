using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Vectord.Grains.Diagnostics;
using Vectord.Storage;
using Vectord.Storage.Parts;
using Microsoft.Extensions.Logging;

namespace Vectord.Grains.Hosting;

/// <summary>The one entry point for hosts (silo, tests, benchmarks).</summary>
public static class VectordSiloBuilderExtensions
{
    /// <summary>
    /// Registers the <c>storaged</c> grain storage and keyed <see cref="IIndexBlobStore"/> (backend chosen by
    /// <c>Storage:Provider</c>: <c>file</c> with <c>Storage:Path</c>, or <c>azureblob</c> with
    /// <c>Storage:ConnectionString</c> and <c>Storage:Container</c>), the storage options, the idle deactivation
    /// age of index grains (<c>Storage:IdleMinutes</c>), the placement of shards (<see cref="Shards.ShardSpreadPlacement"/>), the start-up loading of every catalogued index, and the
    /// silo's metrics (<see cref="IndexMetrics"/>, meter <c>Vectord</c>) with the per-silo stats service, and the time
    /// limit of filtered reads (<see cref="FilterOptions"/>, <c>Filters:MaxEvaluationTime</c>).
    /// </summary>
    public static ISiloBuilder AddVectord(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddOptions<VectordStorageOptions>()
            .Bind(configuration.GetSection(VectordStorageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VectordStorageOptions>, VectordStorageOptionsValidator>();
        services.AddOptions<FilterOptions>()
            .Bind(configuration.GetSection(FilterOptions.SectionName))
            .Validate(o => o.MaxEvaluationTime > TimeSpan.Zero && o.MaxEvaluationTime <= FilterOptions.MaxLimit,
                $"{FilterOptions.SectionName}:{nameof(FilterOptions.MaxEvaluationTime)} must be a positive time of at most {FilterOptions.MaxLimit.TotalSeconds} s")
            .ValidateOnStart();
        services.AddOptions<ReplicationOptions>()
            .Bind(configuration.GetSection(ReplicationOptions.SectionName))
            .Validate(o => o.IsValid,
                $"{ReplicationOptions.SectionName}: HedgeAfter must be positive, ReadLimit longer than HedgeAfter and at most 25 s, FollowerWait positive and at most 1 minute")
            .ValidateOnStart();
        services.AddKeyedSingleton(VectordStorageOptions.ProviderName, (sp, _) => CreateStore(sp.GetRequiredService<IOptions<VectordStorageOptions>>().Value));
        services.AddGrainStorage(VectordStorageOptions.ProviderName,
            (sp, name) => new StoragedGrainStorage(sp.GetRequiredKeyedService<IIndexBlobStore>(name)));
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<VectordStorageOptions>>((o, storage) =>
        {
            var age = TimeSpan.FromMinutes(storage.Value.IdleMinutes);
            o.ClassSpecificCollectionAge[typeof(VectorIndexGrain).FullName!] = age;
            o.ClassSpecificCollectionAge[typeof(Shards.VectorShardGrain).FullName!] = age;
            o.ClassSpecificCollectionAge[typeof(Replicas.VectorReplicaGrain).FullName!] = age;
        });
        services.AddPlacementDirector<Shards.ShardSpreadPlacement, Shards.ShardSpreadPlacementDirector>();
        // The strongly consistent directory: when a silo dies, the activations registered in its part of the directory
        // live on (the default directory deactivates them, so one silo's death would also reload the replicas and
        // shards that other silos hold, about a third of them on three silos). Orleans marks it as under evaluation
        // (ORLEANSEXP003); it is the directory its documentation describes. Its safety lease, which holds a dead
        // silo's grains off for half a minute in case the silo is still running, is off: every grain that writes here is
        // fenced by its storage (a log record is created only where none exists, manifests are written
        // against their ETag), so a silo wrongly declared dead loses its next write instead of corrupting data.
#pragma warning disable ORLEANSEXP003
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        services.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);
        services.AddSingleton<Parts.LocalParts>();
        services.AddSingleton<Shards.CopyRegistry>();
        services.AddSingleton(sp => new VectorCache(sp.GetRequiredService<IOptions<VectordStorageOptions>>().Value.VectorCachePath,
            sp.GetRequiredService<ILogger<VectorCache>>()));
        services.AddMetrics();
        services.AddSingleton<IndexMetrics>();
        services.AddSingleton<ISiloStatsServiceClient, SiloStatsServiceClient>();
        builder.AddGrainService<SiloStatsService>();
        services.AddSingleton<IndexPreloader>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<IndexPreloader>());
        return builder;
    }

    /// <summary>Creates the storage backend the options describe.</summary>
    public static IIndexBlobStore CreateStore(VectordStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider.ToUpperInvariant() switch
        {
            "FILE" => new FileIndexBlobStore(options.Path),
            "AZUREBLOB" => new AzureBlobIndexStore(
                options.ConnectionString ?? throw new InvalidOperationException("Storage:ConnectionString is required for the azureblob provider"),
                options.Container),
            _ => throw new InvalidOperationException($"Storage:Provider must be 'file' or 'azureblob', not '{options.Provider}'"),
        };
    }
}
