using System.Diagnostics;
using System.Globalization;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Modes;

/// <summary>
/// Recall / throughput of the HNSW engine against exact search: loads a data set, gets the exact top-10 (cached),
/// measures single-threaded brute-force queries per second, builds one index per quantization asked for, then for
/// each ef measures recall@10 and single-threaded queries per second of each index in turn.
/// </summary>
internal sealed class AnnMode(TextWriter? output = null) : IBenchMode
{
    private readonly TextWriter _output = output ?? Console.Out;

    private const int K = 10;
    private const int ExactQpsQueries = 100;
    private static readonly int[] s_defaultEfs = [16, 32, 64, 128, 256];

    private static readonly Dictionary<string, DistanceKind> s_distances = new(StringComparer.OrdinalIgnoreCase)
    {
        ["euclidean"] = DistanceKind.Euclidean,
        ["cosine"] = DistanceKind.Cosine,
        ["dot"] = DistanceKind.Dot,
    };

    private static readonly Dictionary<string, QuantizationKind> s_quantizations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = QuantizationKind.None,
        ["int8"] = QuantizationKind.Int8,
    };

    public string Name => "ann";

    public string Summary => "recall@10 and single-threaded QPS of the HNSW engine per ef, against exact search";

    public string Usage => """
          --dataset NAME          data set (fashion-mnist)                                [fashion-mnist]
          --dataset-dir DIR       directory holding the data set files      [/usr/share/datasets/fashion-mnist]
          --limit N               index only the first N base vectors (quick runs)                  [all]
          --queries N             query vectors (from the test split)                              [1000]
          --m N                   HNSW M (links per node; 2·M on layer 0)                            [16]
          --ef-construction N     beam width while building                                         [200]
          --ef LIST               comma-separated beam widths to measure              [16,32,64,128,256]
          --distance KIND         euclidean | cosine | dot                                    [euclidean]
          --quantization LIST     comma-separated: none, int8 (one index each, measured in turn)        [none]
          --threads N             threads for the index build                                         [1]
          --json FILE             append one JSON object per ef and quantization to FILE
          --cache-dir DIR         ground-truth cache        [$VECTORD_CACHE_DIR or ~/.cache/vectord]
          --no-cache              recompute the ground truth and do not store it
        """;

    public Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var datasetName = args.GetString("dataset") ?? DatasetCatalog.FashionMnist;
        var datasetDir = args.GetString("dataset-dir");
        var limit = args.GetOptionalInt("limit", min: K);
        var queryCount = args.GetInt("queries", 1000, min: 1);
        var m = args.GetInt("m", HnswOptions.DefaultM, min: 2, max: 512);
        var efConstruction = args.GetInt("ef-construction", HnswOptions.DefaultEfConstruction, min: 1, max: 100_000);
        var efs = args.GetIntList("ef", s_defaultEfs, min: K, max: 100_000);
        var distance = args.GetChoice("distance", DistanceKind.Euclidean, s_distances);
        var threads = args.GetInt("threads", 1, min: 1, max: 1024);
        var quantizations = GetQuantizations(args);
        var jsonPath = args.GetString("json");
        var cacheDir = args.GetString("cache-dir") ?? GroundTruthCache.DefaultDirectory();
        var noCache = args.GetFlag("no-cache");
        args.EnsureAllUsed();

        var output = _output;
        var distanceName = distance.ToString().ToLowerInvariant();

        // 1. Data.
        var (dataset, loadSeconds) = Timing.Measure(() => DatasetCatalog.Load(datasetName, datasetDir, limit, queryCount));
        var n = dataset.Base.Length;
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} base vectors, {dataset.Queries.Length} queries, dim {dataset.Dimension} (loaded in {loadSeconds:F1} s)"));

        // 2. Exact top-10, cached on disk.
        PreparedVectors? prepared = new(dataset, distance);
        var truth = GroundTruth.GetOrCompute(dataset, prepared, distance, K,
            noCache ? null : new GroundTruthCache(cacheDir), output, cancellationToken);

        // 3. Brute-force throughput on one thread; its answers double as a check of the (possibly cached) truth.
        var exactQps = MeasureExactQps(prepared.Base, prepared.Queries, truth, distance, cancellationToken);
        prepared = null; // under cosine these are normalised copies: let them go before the build
        output.WriteLine(Invariant($"exact       {exactQps:F1} queries/s single-threaded (brute force over {n} vectors, {Math.Min(ExactQpsQueries, dataset.Queries.Length)} queries)"));

        // 4. Build, one index per quantization.
        var items = new VectorItem[n];
        for (var i = 0; i < n; i++)
        {
            items[i] = new VectorItem(i.ToString(CultureInfo.InvariantCulture), dataset.Base[i]);
        }
        var builds = new List<Built>();
        foreach (var quantization in quantizations)
        {
            var index = new HnswIndex(new HnswOptions(dataset.Dimension, distance, m, efConstruction, Quantization: quantization));
            Timing.SettleMemory();
            var buildSeconds = Timing.Seconds(() => index.AddBatch(items, threads));
            if (index.Count != n)
            {
                throw new BenchException($"the index holds {index.Count} items after adding {n} distinct ids");
            }
            var built = new Built(index, NameOf(quantization), buildSeconds, (double)index.MemoryBytes / index.Count);
            builds.Add(built);
            output.WriteLine(Invariant($"build       {built.Quantization}: {buildSeconds:F2} s on {threads} thread(s), M={index.Options.M}, ef_construction={index.Options.EfConstruction}, {n / buildSeconds:F0} vectors/s"));
            output.WriteLine(Invariant($"memory      {built.Quantization}: index {built.BytesPerVector:F0} bytes/vector (raw vector {dataset.Dimension * sizeof(float)} bytes)"));
        }
        if (builds.Count > 1)
        {
            output.WriteLine(Invariant($"build time  {builds[1].Quantization} / {builds[0].Quantization}: {builds[1].BuildSeconds / builds[0].BuildSeconds:F3}x"));
        }

        // 5. Search per ef, the indexes in turn at each ef.
        output.WriteLine();
        var table = new TextTable(
            new("quant", 5), new("ef", 5), new("recall@10", 9), new("qps", 9), new("mean ms", 8), new("p50 ms", 7), new("p99 ms", 7), new("vs exact", 8), new("vs first", 8));
        table.WriteHeader(output);
        foreach (var ef in efs)
        {
            double firstQps = 0;
            foreach (var built in builds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var index = built.Index;
                var measured = SearchMeasurement.Run(index, dataset.Queries, K, ef, cancellationToken);
                var recall = Recall.AtK(measured.Hits, truth, K);
                var qps = measured.QueriesPerSecond;
                firstQps = firstQps == 0 ? qps : firstQps;
                table.WriteRow(output,
                    built.Quantization,
                    Invariant($"{ef}"),
                    Invariant($"{recall:F4}"),
                    Invariant($"{qps:F0}"),
                    Invariant($"{measured.MeanSeconds * 1000:F3}"),
                    Invariant($"{measured.Percentile(0.50) * 1000:F3}"),
                    Invariant($"{measured.Percentile(0.99) * 1000:F3}"),
                    Invariant($"{qps / exactQps:F0}x"),
                    Invariant($"{qps / firstQps:F2}x"));
                if (jsonPath is not null)
                {
                    JsonLines.Append(jsonPath, new AnnResult(dataset.Name, distanceName, n, dataset.Dimension,
                        index.Options.M, index.Options.EfConstruction, ef, Math.Round(recall, 4), Math.Round(qps, 1),
                        Math.Round(exactQps, 1), Math.Round(built.BuildSeconds, 3), threads, Math.Round(built.BytesPerVector, 1),
                        built.Quantization));
                }
            }
        }

        output.WriteLine();
        var peak = Timing.PeakWorkingSetBytes();
        output.WriteLine();
        output.WriteLine(Invariant($"peak working set {peak / (1024.0 * 1024.0):F0} MiB = {(double)peak / n:F0} bytes per base vector (whole process: data set, exact-search copies, index)"));
        if (jsonPath is not null)
        {
            output.WriteLine($"results appended to {jsonPath}");
        }
        return Task.FromResult(0);
    }

    private static double MeasureExactQps(float[][] baseVectors, float[][] queries, int[][] truth, DistanceKind distance,
        CancellationToken cancellationToken)
    {
        var count = Math.Min(ExactQpsQueries, queries.Length);
        Timing.WarmUp(q => ExactSearch.TopK(baseVectors, queries[q], K, distance), queries.Length, minCalls: 40, minSeconds: 0.5);
        var answers = new int[count][];
        var seconds = Timing.Seconds(() =>
        {
            for (var q = 0; q < count; q++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                answers[q] = ExactSearch.TopK(baseVectors, queries[q], K, distance);
            }
        });
        for (var q = 0; q < count; q++)
        {
            if (!answers[q].AsSpan().SequenceEqual(truth[q]))
            {
                throw new BenchException($"exact search of query {q} disagrees with the ground truth; remove the cache file or run with --no-cache");
            }
        }
        return count / seconds;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string NameOf(QuantizationKind quantization) => quantization.ToString().ToLowerInvariant();

    /// <summary>The <c>--quantization</c> list, in the order given (the first is the one the others are compared with).</summary>
    private static List<QuantizationKind> GetQuantizations(BenchArgs args)
    {
        var text = args.GetString("quantization") ?? "none";
        var kinds = new List<QuantizationKind>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!s_quantizations.TryGetValue(name, out var kind))
            {
                throw new UsageException($"--quantization: unknown value '{name}' (expected none or int8)");
            }
            if (kinds.Contains(kind))
            {
                throw new UsageException($"--quantization: '{name}' given twice");
            }
            kinds.Add(kind);
        }
        return kinds.Count > 0 ? kinds : throw new UsageException("--quantization: empty list");
    }

    /// <summary>One built index and what its build measured.</summary>
    private sealed record Built(HnswIndex Index, string Quantization, double BuildSeconds, double BytesPerVector);

}
