using System.Diagnostics;
using Vectord.Hnsw;

namespace Vectord.Bench.Common;

/// <summary>The answers and timings of one single-threaded pass of queries over an index.</summary>
internal sealed class SearchMeasurement
{
    private readonly double[] _sortedLatencies;

    private SearchMeasurement(Hnsw.SearchHit[][] hits, double[] latencies, double totalSeconds)
    {
        Hits = hits;
        TotalSeconds = totalSeconds;
        _sortedLatencies = [.. latencies.Order()];
    }

    public Hnsw.SearchHit[][] Hits { get; }

    /// <summary>Wall-clock seconds of the whole pass.</summary>
    public double TotalSeconds { get; }

    public double QueriesPerSecond => Hits.Length / TotalSeconds;

    public double MeanSeconds => TotalSeconds / Hits.Length;

    /// <summary>The latency (seconds) at or below which a fraction <paramref name="p"/> of the queries finished.</summary>
    public double Percentile(double p) =>
        _sortedLatencies[Math.Clamp((int)Math.Ceiling(p * _sortedLatencies.Length) - 1, 0, _sortedLatencies.Length - 1)];

    /// <summary>Warms up (at least 200 untimed queries and 0.3 s, see <see cref="Timing.WarmUp"/>), then runs every
    /// query once on the calling thread, timing each and the whole pass.</summary>
    public static SearchMeasurement Run(HnswIndex index, float[][] queries, int k, int ef, CancellationToken cancellationToken) =>
        Run(query => index.Search(query, k, ef), queries, cancellationToken);

    /// <summary>As <see cref="Run(HnswIndex, float[][], int, int, CancellationToken)"/>, by the named vector
    /// <paramref name="vector"/> of an index with named vectors.</summary>
    public static SearchMeasurement Run(HnswIndex index, string vector, float[][] queries, int k, int ef, CancellationToken cancellationToken) =>
        Run(query => index.Search(vector, query, k, ef, null, CancellationToken.None), queries, cancellationToken);

    private static SearchMeasurement Run(Func<float[], Hnsw.SearchHit[]> search, float[][] queries, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(queries.Length);
        Timing.WarmUp(q => search(queries[q]), queries.Length, minCalls: 200, minSeconds: 0.3);
        var hits = new Hnsw.SearchHit[queries.Length][];
        var latencies = new double[queries.Length];
        var start = Stopwatch.GetTimestamp();
        for (var q = 0; q < queries.Length; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = Stopwatch.GetTimestamp();
            hits[q] = search(queries[q]);
            latencies[q] = Stopwatch.GetElapsedTime(before).TotalSeconds;
        }
        return new SearchMeasurement(hits, latencies, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
