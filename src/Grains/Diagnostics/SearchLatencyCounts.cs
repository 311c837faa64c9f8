namespace Vectord.Grains.Diagnostics;

/// <summary>Cumulative counts of searches per latency bucket, safe to record from any thread. Two snapshots taken
/// apart give the latencies of the searches in between, and the counts of several silos add up.</summary>
internal sealed class SearchLatencyCounts(IReadOnlyList<double> bounds)
{
    private readonly long[] _counts = new long[bounds.Count + 1];

    public void Record(double seconds)
    {
        int bucket = 0;
        while (bucket < bounds.Count && seconds > bounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _counts[bucket]);
    }

    public long[] Snapshot()
    {
        var copy = new long[_counts.Length];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref _counts[i]);
        }
        return copy;
    }
}
