using Orleans.Concurrency;

namespace Vectord;

/// <summary>
/// What one silo holds and does, for the operator's view of the cluster. The key is the silo's address in
/// <c>SiloAddress.ToParsableString()</c> form; the call is forwarded to that silo whatever silo the grain runs on.
/// </summary>
[Alias("vectord.ISiloStatsGrain")]
public interface ISiloStatsGrain : IGrainWithStringKey
{
    /// <summary>The silo's index parts, memory and cumulative counters.</summary>
    [ReadOnly, Alias("GetStats")]
    Task<SiloStats> GetStatsAsync();
}

/// <summary>One silo's report.</summary>
/// <param name="Parts">The index parts held by the silo now.</param>
/// <param name="MemoryBytes">The silo process's working set.</param>
/// <param name="ItemsAdded">Items added on the silo since it started.</param>
/// <param name="SearchLatencyCounts">Searches on the silo since it started, per latency bucket; the last bucket
/// counts searches slower than every bound.</param>
/// <param name="SearchLatencyBounds">Upper bounds of the latency buckets, in seconds.</param>
[GenerateSerializer, Immutable, Alias("vectord.SiloStats")]
public sealed record SiloStats(
    [property: Id(0)] PartStats[] Parts,
    [property: Id(1)] long MemoryBytes,
    [property: Id(2)] long ItemsAdded,
    [property: Id(3)] long[] SearchLatencyCounts,
    [property: Id(4)] double[] SearchLatencyBounds);

/// <summary>One part of an index held by a silo: its items and approximate memory.</summary>
[GenerateSerializer, Immutable, Alias("vectord.PartStats")]
public sealed record PartStats(
    [property: Id(0)] string Index,
    [property: Id(1)] int Shard,
    [property: Id(2)] long Vectors,
    [property: Id(3)] long Bytes);
