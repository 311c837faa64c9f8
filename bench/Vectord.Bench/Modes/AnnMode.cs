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
          --quantization LIST     comma-separated: none, int8, none+disk, int8+disk (one index each, measured
                                  in turn; +disk keeps the float vectors in a memory-mapped file)      [none]
          --threads N             threads for the index build                                         [1]
          --rounds N              search rounds per ef, the indexes in turn each round; median QPS    [1]
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
        var roundCount = args.GetInt("rounds", 1, min: 1, max: 100);
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

        // 4. Build, one index per quantization; the vector files of +disk builds in a directory of their own.
        var vectorFiles = Path.Combine(Path.GetTempPath(), $"vectord-ann-{Environment.ProcessId}");
        var items = new VectorItem[n];
        for (var i = 0; i < n; i++)
        {
            items[i] = new VectorItem(i.ToString(CultureInfo.InvariantCulture), dataset.Base[i]);
        }
        var builds = new List<Built>();
        foreach (var (quantization, onDisk) in quantizations)
        {
            var file = onDisk ? Path.Combine(vectorFiles, $"{NameOf(quantization)}.vectors") : null;
            var index = new HnswIndex(new HnswOptions(dataset.Dimension, distance, m, efConstruction, Quantization: quantization), file);
            var before = MemoryFootprint.Measure();
            var buildSeconds = Timing.Seconds(() => index.AddBatch(items, threads));
            if (index.Count != n)
            {
                throw new BenchException($"the index holds {index.Count} items after adding {n} distinct ids");
            }
            var heap = MemoryFootprint.Measure().PerItemSince(before, n).LiveBytes;
            var fileBytes = file is null ? 0.0 : (double)new FileInfo(file).Length / n;
            var built = new Built(index, NameOf(quantization) + (onDisk ? "+disk" : ""), NameOf(quantization), onDisk, buildSeconds,
                (double)index.MemoryBytes / index.Count, heap, fileBytes);
            builds.Add(built);
            output.WriteLine(Invariant($"build       {built.Label}: {buildSeconds:F2} s on {threads} thread(s), M={index.Options.M}, ef_construction={index.Options.EfConstruction}, {n / buildSeconds:F0} vectors/s"));
            output.WriteLine(Invariant($"memory      {built.Label}: index {built.BytesPerVector:F0} bytes/vector, managed heap grew {heap:F0} bytes/vector, vector file {fileBytes:F0} bytes/vector (raw vector {dataset.Dimension * sizeof(float)} bytes)"));
        }
        for (var b = 1; b < builds.Count; b++)
        {
            output.WriteLine(Invariant($"memory      {builds[b].Label} / {builds[0].Label}: index {builds[b].BytesPerVector / builds[0].BytesPerVector:F3}x, managed heap {builds[b].HeapBytesPerVector / builds[0].HeapBytesPerVector:F3}x"));
        }
        if (builds.Count > 1)
        {
            output.WriteLine(Invariant($"build time  {builds[1].Label} / {builds[0].Label}: {builds[1].BuildSeconds / builds[0].BuildSeconds:F3}x"));
        }

        // 5. Search per ef: in each round every index in turn, so that the machine's changing load falls on all of
        //    them alike; the round of median QPS is reported for each.
        output.WriteLine();
        var table = new TextTable(
            new("quant", 9), new("ef", 5), new("recall@10", 9), new("qps", 9), new("mean ms", 8), new("p50 ms", 7), new("p99 ms", 7), new("vs exact", 8), new("vs first", 8));
        table.WriteHeader(output);
        foreach (var ef in efs)
        {
            var rounds = builds.Select(_ => new List<SearchMeasurement>()).ToArray();
            for (var round = 0; round < roundCount; round++)
            {
                for (var b = 0; b < builds.Count; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    rounds[b].Add(SearchMeasurement.Run(builds[b].Index, dataset.Queries, K, ef, cancellationToken));
                }
            }
            var firstQps = Median(rounds[0]).QueriesPerSecond;
            for (var b = 0; b < builds.Count; b++)
            {
                var built = builds[b];
                var measured = Median(rounds[b]);
                var recall = Recall.AtK(measured.Hits, truth, K);
                var qps = measured.QueriesPerSecond;
                table.WriteRow(output,
                    built.Label,
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
                    var index = built.Index;
                    JsonLines.Append(jsonPath, new AnnResult(dataset.Name, distanceName, n, dataset.Dimension,
                        index.Options.M, index.Options.EfConstruction, ef, Math.Round(recall, 4), Math.Round(qps, 1),
                        Math.Round(exactQps, 1), Math.Round(built.BuildSeconds, 3), threads, Math.Round(built.BytesPerVector, 1),
                        built.Quantization, built.OnDisk, Math.Round(built.HeapBytesPerVector, 1), Math.Round(built.FileBytesPerVector, 1)));
                }
            }
            if (roundCount > 1 && builds.Count > 1)
            {
                var ratios = string.Join(" ", Enumerable.Range(0, roundCount).Select(r =>
                    Invariant($"{rounds[1][r].QueriesPerSecond / rounds[0][r].QueriesPerSecond:F2}")));
                output.WriteLine(Invariant($"      ef {ef}: {builds[1].Label} / {builds[0].Label} QPS per round: {ratios}"));
            }
        }

        builds.Clear();
        if (Directory.Exists(vectorFiles))
        {
            Directory.Delete(vectorFiles, recursive: true);
        }
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

    /// <summary>The measurement of median QPS (the upper one of an even count).</summary>
    private static SearchMeasurement Median(List<SearchMeasurement> rounds) =>
        rounds.OrderBy(m => m.QueriesPerSecond).ElementAt(rounds.Count / 2);

    private static string NameOf(QuantizationKind quantization) => quantization.ToString().ToLowerInvariant();

    /// <summary>The <c>--quantization</c> list, in the order given (the first is the one the others are compared with):
    /// each a quantization, and whether its vectors are in a file (a <c>+disk</c> suffix).</summary>
    private static List<(QuantizationKind Kind, bool OnDisk)> GetQuantizations(BenchArgs args)
    {
        var text = args.GetString("quantization") ?? "none";
        var kinds = new List<(QuantizationKind, bool)>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var onDisk = name.EndsWith("+disk", StringComparison.OrdinalIgnoreCase);
            if (!s_quantizations.TryGetValue(onDisk ? name[..^"+disk".Length] : name, out var kind))
            {
                throw new UsageException($"--quantization: unknown value '{name}' (expected none or int8, either with +disk)");
            }
            if (kinds.Contains((kind, onDisk)))
            {
                throw new UsageException($"--quantization: '{name}' given twice");
            }
            kinds.Add((kind, onDisk));
        }
        return kinds.Count > 0 ? kinds : throw new UsageException("--quantization: empty list");
    }

    /// <summary>One built index and what its build measured.</summary>
    private sealed record Built(HnswIndex Index, string Label, string Quantization, bool OnDisk, double BuildSeconds, double BytesPerVector,
        double HeapBytesPerVector, double FileBytesPerVector);

}
