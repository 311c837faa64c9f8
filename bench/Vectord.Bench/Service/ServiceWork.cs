using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Service;

/// <summary>The measured pieces the service modes share: batching, ingest through a grain or the engine, and
/// search throughput through a grain from several concurrent callers.</summary>
internal static class ServiceWork
{
    public const int K = 10;

    /// <summary>The data set cut into add batches (ids <c>"0"</c>, <c>"1"</c>, ...), built before any timing; with
    /// <paramref name="metadataBytes"/> &gt; 0 each item carries metadata of about that size (<see cref="Metadata"/>).</summary>
    public static IndexItem[][] GrainBatches(Dataset dataset, int batch, int metadataBytes = 0) =>
        [.. dataset.Base.Select((v, i) => new IndexItem(Id(i), v, metadataBytes > 0 ? Metadata(i, metadataBytes) : null)).Chunk(batch)];

    /// <summary>The same batches as engine items.</summary>
    public static VectorItem[][] EngineBatches(Dataset dataset, int batch, int metadataBytes = 0) =>
        [.. dataset.Base.Select((v, i) => new VectorItem(Id(i), v, metadataBytes > 0 ? Encoding.UTF8.GetBytes(Metadata(i, metadataBytes)) : null)).Chunk(batch)];

    /// <summary>Item <paramref name="i"/>'s metadata: a JSON object of a few typed fields and a text field that pads
    /// it to about <paramref name="bytes"/> bytes, with an escaped character or two as real text has.</summary>
    public static string Metadata(int i, int bytes)
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"{{\"i\":{i},\"label\":\"class-{i % 10}\",\"price\":{i % 997 * 0.25},\"tags\":[\"t{i % 7}\",\"t{i % 11}\"],\"text\":\"");
        var text = new StringBuilder(head, bytes + 16);
        const string words = "the quick brown fox \\\"jumps\\\" over a lazy dog; ";
        while (text.Length + 2 < bytes) { text.Append(words, 0, Math.Min(words.Length, bytes - 2 - text.Length)); }
        return text.ToString().TrimEnd('\\') + "\"}";
    }

    public static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates <paramref name="name"/> and adds every batch through the grain, one call after the other
    /// (each returns once its batch is durable); returns the seconds the adds took (creation excluded).</summary>
    public static async Task<double> IngestAsync(IGrainFactory grains, string name, IndexSpec spec, IndexItem[][] batches,
        CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IVectorIndexGrain>(name);
        await grain.CreateAsync(spec).ConfigureAwait(false);
        return await AddBatchesAsync(grain, batches, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds every batch (ids new to the index) through the grain, one call after the other, to an index
    /// holding <paramref name="held"/> items; returns the seconds the adds took.</summary>
    public static async Task<double> AddBatchesAsync(IVectorIndexGrain grain, IndexItem[][] batches, int held,
        CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var expected = held;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await grain.AddAsync(batch).ConfigureAwait(false);
            expected += batch.Length;
            if (result.Length != expected)
            {
                throw new BenchException($"index {grain.GetPrimaryKeyString()} holds {result.Length} items after adding {expected} distinct ids");
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Adds every batch to a new engine index with <c>AddBatch(batch, threads)</c>; returns the index and
    /// the seconds taken.</summary>
    public static (HnswIndex Index, double Seconds) IngestEngine(HnswOptions options, VectorItem[][] batches, int threads)
    {
        var index = new HnswIndex(options);
        var seconds = Timing.Seconds(() =>
        {
            foreach (var batch in batches)
            {
                index.AddBatch(batch, threads);
            }
        });
        return (index, seconds);
    }

    /// <summary>Untimed runs of both ingest paths on a small slice, so the timed runs execute optimised code and
    /// the silo's first-call costs (activation, storage set-up) are paid; the warm-up index is dropped.</summary>
    public static async Task WarmUpIngestAsync(IGrainFactory grains, HnswOptions options, IndexSpec spec,
        IndexItem[][] grainBatches, VectorItem[][] engineBatches, int threads, CancellationToken cancellationToken)
    {
        var take = Math.Max(1, Math.Min(grainBatches.Length, 2000 / Math.Max(1, grainBatches[0].Length)));
        for (var round = 0; round < 2; round++)
        {
            IngestEngine(options, engineBatches[..take], threads);
        }
        var name = ServiceOptions.NewIndexName("warmup");
        await IngestAsync(grains, name, spec, grainBatches[..take], cancellationToken).ConfigureAwait(false);
        await grains.GetGrain<IVectorIndexGrain>(name).DropAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Search throughput through the grain: <paramref name="callers"/> concurrent loops, each sending every query
    /// once (query indexes 0..count-1, starting at a different offset) and awaiting each answer before the next. Preceded by an untimed
    /// warm-up from the same number of callers (at least 200 calls and 0.5 s). Returns queries per second over
    /// the wall-clock time of the timed pass and the mean latency.
    /// </summary>
    public static async Task<(double Qps, double MeanMs)> SearchQpsAsync(Func<int, Task<int>> search, int queryCount,
        int callers, CancellationToken cancellationToken)
    {
        var warm = Stopwatch.GetTimestamp();
        var calls = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (var i = c; ; i++)
            {
                var done = Interlocked.Increment(ref calls);
                if ((done >= 200 && Stopwatch.GetElapsedTime(warm).TotalSeconds >= 0.5) || Stopwatch.GetElapsedTime(warm).TotalSeconds >= 5)
                {
                    return;
                }
                await Check(search, i % queryCount).ConfigureAwait(false);
            }
        }, cancellationToken))).ConfigureAwait(false);

        var latencyTicks = new long[callers];
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var offset = c * queryCount / callers;
            for (var i = 0; i < queryCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var before = Stopwatch.GetTimestamp();
                await Check(search, (offset + i) % queryCount).ConfigureAwait(false);
                latencyTicks[c] += Stopwatch.GetTimestamp() - before;
            }
        }, cancellationToken))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var total = (double)callers * queryCount;
        var meanMs = latencyTicks.Sum() / (double)Stopwatch.Frequency / total * 1000;
        return (total / seconds, meanMs);
    }

    private static async Task Check(Func<int, Task<int>> search, int query)
    {
        var hits = await search(query).ConfigureAwait(false);
        if (hits != K)
        {
            throw new BenchException($"a search returned {hits} hits instead of {K}");
        }
    }

    /// <summary>
    /// How much faster this machine runs two independent CPU-bound loops than one right now (other processes
    /// included): brute-force top-10 over a 2,000-vector slice, 0.5 s on one thread, then 0.5 s on two. A control
    /// for the concurrency figures: 2 callers cannot beat this.
    /// </summary>
    public static double MachineParallelism(float[][] baseVectors, float[][] queries)
    {
        var slice = baseVectors[..Math.Min(2000, baseVectors.Length)];
        double Rate(int threads)
        {
            var done = 0L;
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = t; Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5; i += threads)
                {
                    ExactSearch.TopK(slice, queries[i % queries.Length], K, DistanceKind.Euclidean);
                    Interlocked.Increment(ref done);
                }
            });
            return done / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Rate(1);   // warm-up
        var one = Rate(1);
        return Rate(2) / one;
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The 1-minute load average (Linux), or NaN.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    public static string Verdict(bool met) => met ? "met" : "MISSED";

    public static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
