using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Grains.Diagnostics;
using Vectord.Hnsw;

namespace Vectord.Grains;

/// <summary>What the index grain reports to the silo's <see cref="IndexMetrics"/>: one part (shard 0) per index.</summary>
public sealed partial class VectorIndexGrain
{
    private const int MetricsShard = 0;
    private IndexMetrics? _metrics;

    private IndexMetrics Metrics => _metrics ??= ServiceProvider.GetRequiredService<IndexMetrics>();

    /// <summary>Reports the part's current size (after a load, a create or a write).</summary>
    private void ReportSize(HnswIndex idx) => Metrics.ReportPart(Name, MetricsShard, idx.Count, idx.MemoryBytes);

    /// <summary>Reports an applied add: its items and the part's new size.</summary>
    private void ReportAdded(HnswIndex idx, int added)
    {
        Metrics.ItemsAdded(added);
        ReportSize(idx);
    }

    /// <summary>This silo no longer holds the part (dropped, stale or deactivated).</summary>
    private void ForgetSize() => Metrics.ForgetPart(Name, MetricsShard);

    private void ReportWal(long bytes) => Metrics.WalAppended(bytes);

    /// <summary>Times a search until disposed.</summary>
    private Timing TimeSearch() => new(Metrics.SearchCompleted);

    /// <summary>Times a snapshot until disposed.</summary>
    private Timing TimeSnapshot() => new(Metrics.SnapshotCompleted);

    private readonly struct Timing(Action<TimeSpan> record) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public void Dispose() => record(Stopwatch.GetElapsedTime(_started));
    }
}
