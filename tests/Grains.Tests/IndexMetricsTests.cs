using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Grains.Diagnostics;

namespace Vectord.Grains.Tests;

/// <summary>The silo's metrics: the parts it holds as tagged gauges, and the search latency buckets.</summary>
public sealed class IndexMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Parts_are_observed_with_their_index_and_shard_until_forgotten()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var metrics = new IndexMetrics(factory);
        metrics.ReportPart("alpha", 0, 3, 300);
        metrics.ReportPart("beta", 0, 5, 500);
        metrics.ReportPart("alpha", 0, 4, 400);   // a later report replaces the earlier one

        Assert.Equal([("alpha", "0", 4L), ("beta", "0", 5L)], Observe(factory, "vectord.index.vectors"));
        Assert.Equal([("alpha", "0", 400L), ("beta", "0", 500L)], Observe(factory, "vectord.index.bytes"));
        Assert.Equal(["alpha", "beta"], metrics.Parts().Select(p => p.Index));

        metrics.ForgetPart("alpha", 0);
        Assert.Equal([("beta", "0", 5L)], Observe(factory, "vectord.index.vectors"));
        Assert.Equal("beta", Assert.Single(metrics.Parts()).Index);
    }

    [Fact]
    public void Searches_are_counted_in_the_bucket_of_their_duration()
    {
        var metrics = new IndexMetrics(_services.GetRequiredService<IMeterFactory>());
        metrics.SearchCompleted(TimeSpan.FromMilliseconds(0.2));   // ≤ 0.5 ms: bucket 0
        metrics.SearchCompleted(TimeSpan.FromMilliseconds(3));     // ≤ 5 ms: bucket 3
        metrics.SearchCompleted(TimeSpan.FromMilliseconds(5));     // a bound is inclusive: bucket 3
        metrics.SearchCompleted(TimeSpan.FromSeconds(10));         // slower than every bound: the last bucket
        metrics.ItemsAdded(7);
        metrics.ItemsAdded(2);

        long[] counts = metrics.SearchLatencyCounts();
        Assert.Equal(IndexMetrics.SearchBuckets.Count + 1, counts.Length);
        Assert.Equal(1, counts[0]);
        Assert.Equal(2, counts[3]);
        Assert.Equal(1, counts[^1]);
        Assert.Equal(4, counts.Sum());
        Assert.Equal(9, metrics.ItemsAddedTotal);
    }

    /// <summary>One collection of an observable gauge of this factory's meter: (index, shard, value), by index.</summary>
    private static List<(string Index, string Shard, long Value)> Observe(IMeterFactory factory, string instrumentName)
    {
        var seen = new List<(string, string, long)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string index = "", shard = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "index") { index = (string)tag.Value!; }
                if (tag.Key == "shard") { shard = (string)tag.Value!; }
            }
            seen.Add((index, shard, value));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. seen.OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }
}
