using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vectord.Grains.Diagnostics;

/// <summary>
/// The silo's part of the <c>Vectord</c> meter: every index part this silo holds reports its vectors and bytes here
/// (observable gauges tagged <c>index</c> and <c>shard</c>), so summing a series over the nodes of a cluster gives
/// the truth with no double counting. Also counts items added, log bytes written and times searches and snapshots.
/// </summary>
public sealed class IndexMetrics : Vectord.Storage.Parts.IPartMetrics
{
    /// <summary>Name of the meter (shared with the gateway's request instruments).</summary>
    public const string MeterName = "Vectord";

    /// <summary>Upper bounds (seconds) of the search latency buckets, for the histogram and the cluster view.</summary>
    public static IReadOnlyList<double> SearchBuckets { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly ConcurrentDictionary<(string Index, int Shard), PartSize> _parts = new();
    private readonly ConcurrentDictionary<(string Index, int Shard, int Replica), long> _lags = new();
    private readonly Counter<long> _itemsAdded;
    private readonly Counter<long> _walBytes;
    private readonly Counter<long> _primaryLoads;
    private readonly Histogram<double> _searchDuration;
    private readonly Histogram<double> _snapshotDuration;
    private readonly SearchLatencyCounts _latencies = new(SearchBuckets);
    private long _itemsAddedTotal;
    private long _promotionsTotal;

    /// <summary>Creates the instruments on the meter owned by <paramref name="meterFactory"/>.</summary>
    public IndexMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vectord.index.vectors", () => Observe(p => p.Vectors), unit: "{vector}",
            description: "Vectors in each index part held by this node");
        meter.CreateObservableGauge("vectord.index.bytes", () => Observe(p => p.Bytes), unit: "By",
            description: "Memory of each index part held by this node");
        meter.CreateObservableGauge("vectord.replica.lag.records", ObserveLags, unit: "{record}",
            description: "Log records each replica of a part is behind its primary, as the primary on this node sees it");
        _itemsAdded = meter.CreateCounter<long>("vectord.items.added", unit: "{item}",
            description: "Items added or replaced on this node");
        _walBytes = meter.CreateCounter<long>("vectord.wal.bytes", unit: "By",
            description: "Bytes appended to write-ahead logs by this node");
        _primaryLoads = meter.CreateCounter<long>("vectord.primary.loads", unit: "{load}",
            description: "Parts whose primary loaded on this node, tagged from: storage (snapshot and log) or replica (taken over from a replica here)");
        _searchDuration = meter.CreateHistogram<double>("vectord.search.duration", unit: "s",
            description: "Duration of k-NN searches on this node",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SearchBuckets });
        _snapshotDuration = meter.CreateHistogram<double>("vectord.snapshot.duration", unit: "s",
            description: "Duration of index snapshots (compactions) on this node",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
    }

    /// <summary>Records the size of a part this silo holds now (after a load or a write).</summary>
    public void ReportPart(string index, int shard, long vectors, long bytes) =>
        _parts[(index, shard)] = new PartSize(vectors, bytes);

    /// <summary>Forgets a part this silo no longer holds (deactivated or dropped).</summary>
    public void ForgetPart(string index, int shard) => _parts.TryRemove((index, shard), out _);

    /// <summary>Records the part a grain of this silo holds now: its size, or none (null).</summary>
    internal void Holding(string index, int shard, Storage.Parts.IndexPart? part)
    {
        if (part is null) { ForgetPart(index, shard); }
        else { ReportPart(index, shard, part.Count, part.MemoryBytes); }
    }

    /// <summary>Records how many log records replica <paramref name="replica"/> of a part whose primary this silo holds
    /// is behind it.</summary>
    public void ReplicaLag(string index, int shard, int replica, long lag) => _lags[(index, shard, replica)] = lag;

    /// <summary>Forgets the replicas of a part whose primary this silo no longer holds.</summary>
    public void ForgetReplicas(string index, int shard)
    {
        foreach (var key in _lags.Keys.Where(k => k.Index == index && k.Shard == shard)) { _lags.TryRemove(key, out _); }
    }

    /// <summary>Counts items applied by a write.</summary>
    public void ItemsAdded(int count)
    {
        _itemsAdded.Add(count);
        Interlocked.Add(ref _itemsAddedTotal, count);
    }

    /// <summary>Counts a primary that loaded its part here: taken over from a replica on this node
    /// (<paramref name="promoted"/>) or read from storage.</summary>
    public void PrimaryLoaded(bool promoted)
    {
        _primaryLoads.Add(1, new KeyValuePair<string, object?>("from", promoted ? "replica" : "storage"));
        if (promoted) { Interlocked.Increment(ref _promotionsTotal); }
    }

    /// <summary>Primaries that took their part over from a replica on this silo since it started.</summary>
    public long PromotionsTotal => Interlocked.Read(ref _promotionsTotal);

    /// <summary>Counts bytes appended to a write-ahead log.</summary>
    public void WalAppended(long bytes) => _walBytes.Add(bytes);

    /// <summary>Records one search's duration.</summary>
    public void SearchCompleted(TimeSpan elapsed)
    {
        _searchDuration.Record(elapsed.TotalSeconds);
        _latencies.Record(elapsed.TotalSeconds);
    }

    /// <summary>Records one snapshot's duration.</summary>
    public void SnapshotCompleted(TimeSpan elapsed) => _snapshotDuration.Record(elapsed.TotalSeconds);

    /// <summary>The parts this silo holds now, ordered by index name and shard.</summary>
    public IReadOnlyList<PartReport> Parts() =>
        [.. _parts.Select(p => new PartReport(p.Key.Index, p.Key.Shard, p.Value.Vectors, p.Value.Bytes))
            .OrderBy(p => p.Index, StringComparer.Ordinal).ThenBy(p => p.Shard)];

    /// <summary>Items added on this silo since it started.</summary>
    public long ItemsAddedTotal => Interlocked.Read(ref _itemsAddedTotal);

    /// <summary>Searches on this silo since it started, counted per latency bucket (the last one: slower than every bound).</summary>
    public long[] SearchLatencyCounts() => _latencies.Snapshot();

    private IEnumerable<Measurement<long>> Observe(Func<PartSize, long> value)
    {
        foreach (var (key, size) in _parts)
        {
            yield return new Measurement<long>(value(size),
                new KeyValuePair<string, object?>("index", key.Index),
                new KeyValuePair<string, object?>("shard", key.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLags()
    {
        foreach (var (key, lag) in _lags)
        {
            yield return new Measurement<long>(lag,
                new KeyValuePair<string, object?>("index", key.Index),
                new KeyValuePair<string, object?>("shard", key.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new KeyValuePair<string, object?>("replica", key.Replica.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private readonly record struct PartSize(long Vectors, long Bytes);
}

/// <summary>One index part held by a silo.</summary>
public sealed record PartReport(string Index, int Shard, long Vectors, long Bytes);
