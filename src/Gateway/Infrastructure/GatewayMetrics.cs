using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// The <c>Vectord</c> meter: index count and stored vectors as this gateway last saw them in grain answers, items
/// added, and search latency.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Vectord";

    private readonly ConcurrentDictionary<string, int> _lengths = new(StringComparer.Ordinal);
    private readonly Counter<long> _itemsAdded;
    private readonly Histogram<double> _searchDuration;

    /// <summary>Creates the instruments on a meter owned by <paramref name="meterFactory"/>.</summary>
    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vectord.indexes", () => (long)_lengths.Count, unit: "{index}",
            description: "Indexes known to this gateway");
        meter.CreateObservableGauge("vectord.vectors", () => _lengths.Values.Sum(v => (long)v), unit: "{vector}",
            description: "Vectors stored in the indexes known to this gateway, as of their last answer");
        _itemsAdded = meter.CreateCounter<long>("vectord.items.added", unit: "{item}",
            description: "Items added or replaced through this gateway");
        _searchDuration = meter.CreateHistogram<double>("vectord.search.duration", unit: "s",
            description: "Duration of k-NN searches, grain call included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    /// <summary>Records an index's current length.</summary>
    public void IndexSeen(string name, int length) => _lengths[name] = length;

    /// <summary>Forgets a dropped index.</summary>
    public void IndexDropped(string name) => _lengths.TryRemove(name, out _);

    /// <summary>Aligns the known indexes with a full listing, keeping the lengths already seen.</summary>
    public void IndexesListed(IReadOnlyCollection<string> names)
    {
        var current = names.ToHashSet(StringComparer.Ordinal);
        foreach (string name in _lengths.Keys)
        {
            if (!current.Contains(name))
            {
                _lengths.TryRemove(name, out _);
            }
        }
        foreach (string name in names)
        {
            _lengths.TryAdd(name, 0);
        }
    }

    /// <summary>Counts items applied by an add.</summary>
    public void ItemsAdded(int count) => _itemsAdded.Add(count);

    /// <summary>Records one search's duration.</summary>
    public void SearchCompleted(TimeSpan elapsed) => _searchDuration.Record(elapsed.TotalSeconds);
}
