using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace Vectord.Grains.Diagnostics;

/// <summary>The per-silo service that answers for the silo it runs on.</summary>
[Alias("vectord.ISiloStatsService")]
public interface ISiloStatsService : IGrainService
{
    /// <summary>This silo's report.</summary>
    [ReadOnly, Alias("GetStats")]
    Task<SiloStats> GetStatsAsync();

    /// <summary>The copies of a part of an index active on this silo, and which of its replicas here hold the part loaded.</summary>
    [ReadOnly, Alias("CopiesHere")]
    Task<Shards.CopiesHere> CopiesOfAsync(string index, int shard);
}

/// <summary>Reads this silo's <see cref="IndexMetrics"/> and <see cref="Shards.CopyRegistry"/>; one instance runs in every silo.</summary>
public sealed class SiloStatsService(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, IndexMetrics metrics, Shards.CopyRegistry copies)
    : GrainService(grainId, silo, loggerFactory), ISiloStatsService
{
    /// <inheritdoc/>
    public Task<Shards.CopiesHere> CopiesOfAsync(string index, int shard) => Task.FromResult(copies.CopiesOf(index, shard));

    /// <inheritdoc/>
    public Task<SiloStats> GetStatsAsync() => Task.FromResult(new SiloStats(
        [.. metrics.Parts().Select(p => new PartStats(p.Index, p.Shard, p.Vectors, p.Bytes))],
        Environment.WorkingSet,
        metrics.ItemsAddedTotal,
        metrics.SearchLatencyCounts(),
        [.. IndexMetrics.SearchBuckets]));
}

/// <summary>Reaches the <see cref="ISiloStatsService"/> of a given silo.</summary>
public interface ISiloStatsServiceClient
{
    /// <summary>The service of the silo at <paramref name="silo"/>.</summary>
    ISiloStatsService ServiceOf(SiloAddress silo);
}

/// <inheritdoc cref="ISiloStatsServiceClient"/>
public sealed class SiloStatsServiceClient(IServiceProvider services)
    : GrainServiceClient<ISiloStatsService>(services), ISiloStatsServiceClient
{
    /// <inheritdoc/>
    public ISiloStatsService ServiceOf(SiloAddress silo) => GetGrainService(silo);
}

/// <summary>Forwards to the silo named by the key, so that clients (which cannot address grain services) reach it.</summary>
[StatelessWorker]
public sealed class SiloStatsGrain(ISiloStatsServiceClient services) : Grain, ISiloStatsGrain
{
    /// <inheritdoc/>
    public Task<SiloStats> GetStatsAsync() =>
        services.ServiceOf(SiloAddress.FromParsableString(this.GetPrimaryKeyString())).GetStatsAsync();
}
