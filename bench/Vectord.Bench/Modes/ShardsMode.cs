using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using Vectord.Hnsw;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// One index against the same index in <c>--shards</c> parts, through the grains of one in-process silo, in one run:
/// durable ingest rate (against the engine's own build on <c>--threads</c> threads too), recall@10, one caller's
/// latency and two callers' QPS at each <c>--efs</c>, and the latency and QPS ratios at equal recall (0.95 and 0.99,
/// interpolated on each index's recall curve). Goals: ingest ≥ 1.7× one shard and ≥ 0.8× the engine; recall ≥ one
/// shard's at each ef; at equal recall one caller's latency ≤ 1.1× and two callers' QPS ≥ 0.6× one shard's.
/// </summary>
internal sealed class ShardsMode(TextWriter? output = null) : IBenchMode
{
    private static readonly int[] s_defaultEfs = [10, 16, 32, 64];
    private static readonly double[] s_recalls = [0.95, 0.99];
    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "shards";

    public string Summary => "a sharded index against one shard: durable ingest, recall, latency and QPS at equal recall";

    public string Usage => ServiceOptions.CommonUsage + """

          --shards N       shards of the compared index (default 2)
          --efs a,b,...    beam widths to measure (default 10,16,32,64)
          --threads N      threads of the engine's own build (default 2)
          --queries N      queries (default 1000)
          --rounds N       timed rounds per ef, alternating the two indexes; medians reported (default 3)
          --cache-dir DIR  where exact top-10 answers are cached
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: true);
        var shards = args.GetInt("shards", 2, min: 2, max: 64);
        var efs = args.GetIntList("efs", s_defaultEfs, min: K, max: 10_000);
        var threads = args.GetInt("threads", 2, min: 1, max: 1024);
        var rounds = args.GetInt("rounds", 3, min: 1, max: 100);
        var cacheDir = args.GetString("cache-dir") ?? GroundTruthCache.DefaultDirectory();
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var engineOptions = options.EngineOptions(dataset.Dimension);
        var truth = GroundTruth.GetOrCompute(dataset, new PreparedVectors(dataset, engineOptions.Distance), engineOptions.Distance, K,
            new GroundTruthCache(cacheDir), output, cancellationToken);
        var grainBatches = GrainBatches(dataset, options.Batch);
        var engineBatches = EngineBatches(dataset, options.Batch);
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, dim {dataset.Dimension}, {dataset.Queries.Length} queries, batches of {options.Batch}"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        var spec = options.Spec(dataset.Dimension);
        await WarmUpIngestAsync(silo.Grains, engineOptions, spec with { Shards = shards }, grainBatches, engineBatches, threads, cancellationToken).ConfigureAwait(false);

        Timing.SettleMemory();
        var (engineIndex, engineSeconds) = IngestEngine(engineOptions, engineBatches, threads);
        engineIndex = null;
        Timing.SettleMemory();
        var oneName = ServiceOptions.NewIndexName(Name + "-1");
        var oneSeconds = await IngestAsync(silo.Grains, oneName, spec with { Shards = 1 }, grainBatches, cancellationToken).ConfigureAwait(false);
        Timing.SettleMemory();
        var manyName = ServiceOptions.NewIndexName(Name + "-" + shards);
        var manySeconds = await IngestAsync(silo.Grains, manyName, spec with { Shards = shards }, grainBatches, cancellationToken).ConfigureAwait(false);

        var ingest = new ShardsIngestResult(Name, "ingest", dataset.Name, n, shards, threads,
            Math.Round(n / engineSeconds, 1), Math.Round(n / oneSeconds, 1), Math.Round(n / manySeconds, 1),
            Math.Round(oneSeconds / manySeconds, 3), Math.Round(engineSeconds / manySeconds, 3));
        output.WriteLine(Invariant($"ingest      engine {threads} threads {ingest.EngineRate:F0} v/s; 1 shard {ingest.OneShardRate:F0} v/s; {shards} shards {ingest.ShardedRate:F0} v/s: {ingest.VersusOneShard:F2}x one shard (goal >= 1.7x), {ingest.VersusEngine:F2}x the engine (goal >= 0.8x)"));
        Emit(options, ingest);

        var curves = new Dictionary<int, List<ShardsSearchResult>> { [1] = [], [shards] = [] };
        foreach (var ef in efs)
        {
            // Recall once per index, then timed rounds alternating the two, so a drift of the machine's speed
            // between phases touches both alike; the medians of the rounds are reported.
            var indexes = new[] { (Count: 1, Name: oneName), (Count: shards, Name: manyName) };
            var recalls = new double[2];
            var samples = new List<(double Latency, double Qps1, double Qps2)>[] { [], [] };
            for (var i = 0; i < 2; i++)
            {
                var grain = silo.Grains.GetGrain<IVectorIndexGrain>(indexes[i].Name);
                var hits = await Task.WhenAll(dataset.Queries.Select(q => grain.SearchAsync(q, K, ef))).ConfigureAwait(false);
                recalls[i] = Recall.AtK([.. hits.Select(h => h.Select(x => new Hnsw.SearchHit(x.Id, x.Distance, null)).ToArray())], truth, K);
            }
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < 2; i++)
                {
                    var grain = silo.Grains.GetGrain<IVectorIndexGrain>(indexes[i].Name);
                    Task<int> Search(int q) => grain.SearchAsync(dataset.Queries[q], K, ef).ContinueWith(t => t.Result.Length, TaskScheduler.Default);
                    var (qps1, latency) = await SearchQpsAsync(Search, dataset.Queries.Length, 1, cancellationToken).ConfigureAwait(false);
                    var (qps2, _) = await SearchQpsAsync(Search, dataset.Queries.Length, 2, cancellationToken).ConfigureAwait(false);
                    samples[i].Add((latency, qps1, qps2));
                }
            }
            for (var i = 0; i < 2; i++)
            {
                var (count, _) = indexes[i];
                var result = new ShardsSearchResult(Name, "search", count, ef, Math.Round(recalls[i], 4),
                    Math.Round(Median(samples[i].Select(x => x.Latency)), 4), Math.Round(Median(samples[i].Select(x => x.Qps1)), 1),
                    Math.Round(Median(samples[i].Select(x => x.Qps2)), 1));
                curves[count].Add(result);
                output.WriteLine(Invariant($"search      {count} shard(s) ef {ef}: recall@10 {result.Recall:F4}, 1 caller {result.LatencyMs:F3} ms ({result.Qps1:F0} qps), 2 callers {result.Qps2:F0} qps (medians of {rounds} rounds)"));
                Emit(options, result);
            }
        }

        foreach (var target in s_recalls)
        {
            var one = AtRecall(curves[1], target);
            var many = AtRecall(curves[shards], target);
            if (one is null || many is null)
            {
                output.WriteLine(Invariant($"equal       recall {target}: not reached by both indexes at these ef values"));
                continue;
            }
            var equal = new ShardsEqualRecallResult(Name, "equal_recall", shards, target,
                Math.Round(many.Value.Latency / one.Value.Latency, 3), Math.Round(many.Value.Qps2 / one.Value.Qps2, 3));
            output.WriteLine(Invariant($"equal       recall {target}: latency {equal.LatencyRatio:F2}x one shard (goal <= 1.1x), 2-caller QPS {equal.QpsRatio:F2}x (goal >= 0.6x)"));
            Emit(options, equal);
        }
        return 0;
    }

    /// <summary>Latency and two-caller QPS where the recall curve crosses <paramref name="target"/>, interpolated
    /// linearly between the two ef values around it; null when no ef reaches it.</summary>
    internal static (double Latency, double Qps2)? AtRecall(IReadOnlyList<ShardsSearchResult> curve, double target)
    {
        var sorted = curve.OrderBy(r => r.Ef).ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Recall < target) { continue; }
            if (i == 0) { return (sorted[0].LatencyMs, sorted[0].Qps2); }
            var (lo, hi) = (sorted[i - 1], sorted[i]);
            var t = hi.Recall == lo.Recall ? 1 : (target - lo.Recall) / (hi.Recall - lo.Recall);
            return (lo.LatencyMs + (t * (hi.LatencyMs - lo.LatencyMs)), lo.Qps2 + (t * (hi.Qps2 - lo.Qps2)));
        }
        return null;
    }

    private static void Emit<T>(ServiceOptions options, T line)
    {
        if (options.JsonPath is not null) { JsonLines.Append(options.JsonPath, line); }
    }
}

/// <summary>The ingest line of the <c>shards</c> mode.</summary>
internal sealed record ShardsIngestResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("figure")] string Figure,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("engine_threads")] int EngineThreads,
    [property: JsonPropertyName("engine_vectors_per_second")] double EngineRate,
    [property: JsonPropertyName("one_shard_vectors_per_second")] double OneShardRate,
    [property: JsonPropertyName("sharded_vectors_per_second")] double ShardedRate,
    [property: JsonPropertyName("versus_one_shard")] double VersusOneShard,
    [property: JsonPropertyName("versus_engine")] double VersusEngine);

/// <summary>A search line of the <c>shards</c> mode: one index at one ef.</summary>
internal sealed record ShardsSearchResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("figure")] string Figure,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("qps_1")] double Qps1,
    [property: JsonPropertyName("qps_2")] double Qps2);

/// <summary>The sharded index against one shard at equal recall.</summary>
internal sealed record ShardsEqualRecallResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("figure")] string Figure,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("latency_ratio")] double LatencyRatio,
    [property: JsonPropertyName("qps_ratio")] double QpsRatio);
