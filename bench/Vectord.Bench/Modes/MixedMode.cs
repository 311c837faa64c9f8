using System.Diagnostics;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Searches while the index is fed. For each reader count N (1, 2): a new index is filled with the first third of
/// the data set through the grain (untimed); N readers search it for a few seconds (idle latencies); then the next
/// third is ingested in batches through the grain, once alone and, on a second index built the same way, with the
/// N readers searching throughout (latencies during ingest, snapshots included when the log is due one).
/// Goals, same run: search p99 during ingest at most 3× idle p99, worst at most 50 ms; ingest with one reader at
/// least 0.8× ingest alone.
/// </summary>
internal sealed class MixedMode(TextWriter? output = null) : IBenchMode
{
    public const double P99Goal = 3.0;
    public const double WorstGoalMs = 50;
    public const double IngestGoal = 0.8;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "mixed";

    public string Summary => "search latency idle and during ingest through the grain, 1 and 2 readers; ingest with and without readers";

    public string Usage => ServiceOptions.CommonUsage + ServiceOptions.SearchUsage + """
          --idle-seconds S        how long the readers search the idle index (default 3)
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: true);
        var idleSeconds = args.GetInt("idle-seconds", 3, min: 1, max: 600);
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var third = dataset.Base.Length / 3;
        var batches = GrainBatches(dataset, options.Batch);
        var preload = batches.TakeWhile((_, i) => (i + 1) * options.Batch <= third).ToArray();
        var feed = batches.Skip(preload.Length).Take(preload.Length).ToArray();
        var preloaded = preload.Sum(b => b.Length);
        var fed = feed.Sum(b => b.Length);
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {preloaded} vectors preloaded, {fed} ingested in batches of {options.Batch}, dim {dataset.Dimension}, k={K}, ef={options.Ef}"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        await WarmUpIngestAsync(silo.Grains, options.EngineOptions(dataset.Dimension), options.Spec(dataset.Dimension), batches,
            EngineBatches(dataset, options.Batch), 1, cancellationToken).ConfigureAwait(false);

        var table = new TextTable(new("readers", 7), new("phase", 10, false), new("qps", 6), new("p50 ms", 7), new("p99 ms", 7), new("max ms", 7),
            new("ingest v/s", 10));
        var rows = new List<string[]>();
        using var gcPauses = new GcPauses();
        var results = new List<MixedResult>();
        foreach (var readers in new[] { 1, 2 })
        {
            // Alone: the same preload and feed, with nobody searching.
            var aloneName = ServiceOptions.NewIndexName(Name);
            await IngestAsync(silo.Grains, aloneName, options.Spec(dataset.Dimension), preload, cancellationToken).ConfigureAwait(false);
            var aloneSeconds = await AddBatchesAsync(silo.Grains.GetGrain<IVectorIndexGrain>(aloneName), feed, preloaded, cancellationToken).ConfigureAwait(false);
            await silo.Grains.GetGrain<IVectorIndexGrain>(aloneName).DropAsync().ConfigureAwait(false);

            var name = ServiceOptions.NewIndexName(Name);
            await IngestAsync(silo.Grains, name, options.Spec(dataset.Dimension), preload, cancellationToken).ConfigureAwait(false);
            var grain = silo.Grains.GetGrain<IVectorIndexGrain>(name);
            Timing.SettleMemory();
            var idleStop = Stopwatch.StartNew();
            var idle = await ReadAsync(grain, dataset.Queries, options.Ef, readers, () => idleStop.Elapsed.TotalSeconds >= idleSeconds, cancellationToken).ConfigureAwait(false);

            var pausedBefore = GC.GetTotalPauseDuration();
            var ingestStarted = DateTime.UtcNow;
            var feeding = true;
            var during = ReadAsync(grain, dataset.Queries, options.Ef, readers, () => !Volatile.Read(ref feeding), cancellationToken);
            double withSeconds;
            try
            {
                withSeconds = await AddBatchesAsync(grain, feed, preloaded, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref feeding, false);
            }
            var busy = await during.ConfigureAwait(false);
            var gcPauseMs = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;
            var longestPauseMs = gcPauses.LongestSinceMs(ingestStarted);
            var worstInPauseMs = gcPauses.OverlapMs(busy.WorstStart, TimeSpan.FromMilliseconds(busy.Max));
            await grain.DropAsync().ConfigureAwait(false);

            var aloneRate = fed / aloneSeconds;
            var withRate = fed / withSeconds;
            var result = new MixedResult(Name, dataset.Name, options.DistanceName, preloaded, fed, options.Batch, options.Ef, readers,
                Math.Round(idle.Qps, 1), idle.P50, idle.P99, idle.Max, Math.Round(busy.Qps, 1), busy.P50, busy.P99, busy.Max,
                Math.Round(aloneRate, 1), Math.Round(withRate, 1), Math.Round(withRate / aloneRate, 3), Math.Round(busy.P99 / idle.P99, 2),
                busy.P99 <= P99Goal * idle.P99, busy.Max <= WorstGoalMs, readers != 1 || withRate / aloneRate >= IngestGoal,
                Math.Round(gcPauseMs, 1), Math.Round(longestPauseMs, 1), Math.Round(worstInPauseMs, 1), Math.Round(LoadAverage(), 2));
            results.Add(result);
            rows.Add([Invariant($"{readers}"), "idle", Invariant($"{idle.Qps:F0}"), Invariant($"{idle.P50:F2}"), Invariant($"{idle.P99:F2}"), Invariant($"{idle.Max:F1}"), Invariant($"{aloneRate:F0}")]);
            rows.Add([Invariant($"{readers}"), "ingesting", Invariant($"{busy.Qps:F0}"), Invariant($"{busy.P50:F2}"), Invariant($"{busy.P99:F2}"), Invariant($"{busy.Max:F1}"), Invariant($"{withRate:F0}")]);
        }

        output.WriteLine();
        table.WriteHeader(output);
        foreach (var row in rows) { table.WriteRow(output, row); }
        output.WriteLine();
        foreach (var r in results)
        {
            output.WriteLine(Invariant($"{r.Readers} reader(s): p99 during ingest {r.P99Ratio:F2}x idle (goal <={P99Goal:F0}x) {Verdict(r.P99GoalMet)}; worst {r.IngestingMaxMs:F1} ms (goal <={WorstGoalMs:F0}) {Verdict(r.WorstGoalMet)}; ingest {r.IngestRatio:F2}x alone{(r.Readers == 1 ? Invariant($" (goal >={IngestGoal:F1}x) {Verdict(r.IngestGoalMet)}") : "")}; GC pauses during ingest {r.GcPauseMs:F0} ms in all, longest {r.GcLongestPauseMs:F1} ms, {r.WorstInGcPauseMs:F1} ms of them inside the worst search"));
            if (options.JsonPath is not null) { JsonLines.Append(options.JsonPath, r); }
        }
        return 0;
    }

    /// <summary>Readers searching until <paramref name="done"/> (checked between searches; at most 10 minutes).</summary>
    private static async Task<Latencies> ReadAsync(IVectorIndexGrain grain, float[][] queries, int ef, int readers, Func<bool> done,
        CancellationToken cancellationToken)
    {
        var perReader = new List<double>[readers];
        var worst = (Ms: 0.0, Start: DateTime.MinValue);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            var latencies = perReader[r] = [];
            for (var i = r * 97; !done() && Stopwatch.GetElapsedTime(start).TotalMinutes < 10; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var startedAt = DateTime.UtcNow;
                var before = Stopwatch.GetTimestamp();
                var hits = await grain.SearchAsync(queries[i % queries.Length], K, ef).ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
                latencies.Add(ms);
                lock (perReader) { if (ms > worst.Ms) { worst = (ms, startedAt); } }
                if (hits.Length != K) { throw new BenchException($"a search returned {hits.Length} hits instead of {K}"); }
            }
        }, cancellationToken))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double[] all = [.. perReader.SelectMany(l => l).Order()];
        if (all.Length == 0) { throw new BenchException("no search completed"); }
        double At(double q) => Math.Round(all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)], 3);
        return new Latencies(all.Length / seconds, At(0.5), At(0.99), Math.Round(all[^1], 3), worst.Start);
    }

    /// <param name="WorstStart">When the slowest search began (UTC).</param>
    private sealed record Latencies(double Qps, double P50, double P99, double Max, DateTime WorstStart);
}

/// <summary>One JSON line of the <c>mixed</c> mode (latencies in milliseconds).</summary>
internal sealed record MixedResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("preloaded")] int Preloaded,
    [property: JsonPropertyName("ingested")] int Ingested,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("readers")] int Readers,
    [property: JsonPropertyName("idle_qps")] double IdleQps,
    [property: JsonPropertyName("idle_p50_ms")] double IdleP50Ms,
    [property: JsonPropertyName("idle_p99_ms")] double IdleP99Ms,
    [property: JsonPropertyName("idle_max_ms")] double IdleMaxMs,
    [property: JsonPropertyName("ingesting_qps")] double IngestingQps,
    [property: JsonPropertyName("ingesting_p50_ms")] double IngestingP50Ms,
    [property: JsonPropertyName("ingesting_p99_ms")] double IngestingP99Ms,
    [property: JsonPropertyName("ingesting_max_ms")] double IngestingMaxMs,
    [property: JsonPropertyName("ingest_vectors_per_second_alone")] double IngestAlone,
    [property: JsonPropertyName("ingest_vectors_per_second_with_readers")] double IngestWithReaders,
    [property: JsonPropertyName("ingest_ratio")] double IngestRatio,
    [property: JsonPropertyName("p99_ratio")] double P99Ratio,
    [property: JsonPropertyName("p99_goal_met")] bool P99GoalMet,
    [property: JsonPropertyName("worst_goal_met")] bool WorstGoalMet,
    [property: JsonPropertyName("ingest_goal_met")] bool IngestGoalMet,
    [property: JsonPropertyName("gc_pause_ms_during_ingest")] double GcPauseMs,
    [property: JsonPropertyName("gc_longest_pause_ms_during_ingest")] double GcLongestPauseMs,
    [property: JsonPropertyName("gc_pause_ms_inside_worst_search")] double WorstInGcPauseMs,
    [property: JsonPropertyName("load_average")] double LoadAverage);
