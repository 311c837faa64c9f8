using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Modes;

/// <summary>
/// Filtered search on fashion-mnist with metadata built from the data set (<see cref="FilterCases"/>): for each
/// filter, recall@10 against a brute-force scan of the matching items, single-threaded QPS and the strategy the
/// planner chose, beside the QPS of an exact unfiltered full scan in the same run and the payload index's memory;
/// then the filter budget's two ends (<see cref="FilterCost"/>).
/// With <c>--http</c>, then the same queries and filters as <c>search/batch</c> requests to the service in this
/// process, against the engine's single-threaded QPS (<see cref="FilterHttp"/>).
/// </summary>
internal sealed class FilterMode(TextWriter? output = null) : IBenchMode
{
    private readonly TextWriter _output = output ?? Console.Out;

    private const int K = 10;
    private const int ExactQpsQueries = 50;

    private static readonly Dictionary<string, FilterStrategy?> s_strategies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = null,
        ["exact"] = FilterStrategy.Exact,
        ["graph"] = FilterStrategy.Graph,
    };

    public string Name => "filter";

    public string Summary => "filtered search: recall@10, QPS and the planner's strategy per filter, against exact search; --http: search/batch over HTTP vs the engine (goal >= 0.8x)";

    public string Usage => """
          --dataset-dir DIR       directory holding fashion-mnist           [/usr/share/datasets/fashion-mnist]
          --limit N               index only the first N training images                            [all]
          --queries N             test images used as queries                                       [500]
          --m N                   HNSW M                                                             [16]
          --ef-construction N     beam width while building                                         [200]
          --ef N                  beam width of the searches (0: the index's default)                 [0]
          --strategy S            auto (the planner) | exact | graph                               [auto]
          --threads N             threads for the index build                       [2; 1 with --http]
          --json FILE             append one JSON object per filter to FILE
          --http                  then search/batch over HTTP to an in-process service holding the same items,
                                  against the engine single-threaded (planner's strategy, default ef_construction;
                                  with one build thread the engine's graph is the service's, answer for answer)
          --batch N               searches per search/batch request (with --http)                   [100]
          --rounds N              rounds of engine then HTTP per filter; medians (with --http)        [3]
          --storage-dir DIR       the service's storage (with --http)                    [a temporary directory]
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var directory = args.GetString("dataset-dir") ?? DatasetCatalog.FashionMnistDefaultDirectory;
        var limit = args.GetOptionalInt("limit", min: 1000);
        var queryCount = args.GetInt("queries", 500, min: 1, max: 10_000);
        var m = args.GetInt("m", HnswOptions.DefaultM, min: 2, max: 256);
        var efConstruction = args.GetInt("ef-construction", HnswOptions.DefaultEfConstruction, min: 1, max: 100_000);
        var ef = args.GetInt("ef", 0, min: 0, max: 10_000);
        var strategy = args.GetChoice("strategy", (FilterStrategy?)null, s_strategies);
        var http = args.GetFlag("http");
        var threads = args.GetInt("threads", http ? 1 : 2, min: 1, max: 1024);
        var jsonPath = args.GetString("json");
        var batch = args.GetInt("batch", 100, min: 1, max: SearchQuery.MaxBatch);
        var rounds = args.GetInt("rounds", 3, min: 1, max: 100);
        var storageDirectory = args.GetString("storage-dir");
        args.EnsureAllUsed();
        if (http && efConstruction != HnswOptions.DefaultEfConstruction)
        {
            throw new UsageException($"--http: the service builds with ef_construction {HnswOptions.DefaultEfConstruction}; --ef-construction must be left at it");
        }

        var dataset = DatasetCatalog.Load(DatasetCatalog.FashionMnist, directory, limit, queryCount);
        var n = dataset.Base.Length;
        var labels = IdxLabels.Read(Path.Combine(directory, "train-labels-idx1-ubyte.gz"), n);
        var queryLabels = IdxLabels.Read(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), queryCount);
        var cases = new FilterCases(labels);
        Line($"dataset     fashion-mnist: {n} base vectors, {queryCount} queries, dim {dataset.Dimension}");

        var exactQps = ExactQps(dataset, cancellationToken);
        Line($"exact       {exactQps:F1} queries/s single-threaded (unfiltered brute force over {n} vectors)");

        var items = new VectorItem[n];
        for (var i = 0; i < n; i++) { items[i] = new VectorItem(i.ToString(CultureInfo.InvariantCulture), dataset.Base[i], cases.Metadata(i)); }
        var index = new HnswIndex(new HnswOptions(dataset.Dimension, DistanceKind.Euclidean, m, efConstruction));
        var buildSeconds = Timing.Seconds(() => index.AddBatch(items, threads));
        var payloadBytes = index.PayloadMemoryBytes;
        var rawBytes = (long)n * dataset.Dimension * sizeof(float);
        Line($"build       {buildSeconds:F1} s on {threads} thread(s); payload index {payloadBytes / 1048576.0:F2} MiB = {100.0 * payloadBytes / rawBytes:F2}% of the raw vectors ({rawBytes / 1048576.0:F0} MiB)");
        _output.WriteLine();

        var table = new TextTable(new("filter", 24), new("matches", 8), new("share", 7), new("strategy", 8), new("recall@10", 9), new("qps", 8), new("vs exact", 8));
        table.WriteHeader(_output);
        var truths = new List<(FilterCases.Case, HashSet<string>[])>();
        foreach (var c in (IEnumerable<FilterCases.Case>)[FilterCases.None, .. cases.All])
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = Measure(c, index, dataset, queryLabels, ef, strategy, cancellationToken);
            truths.Add((c, result.Truth));
            table.WriteRow(_output, c.Name, Invariant($"{result.Matches:F0}"), Invariant($"{100 * result.Matches / n:F2}%"), result.Strategy,
                Invariant($"{result.Recall:F4}"), Invariant($"{result.Qps:F0}"), Invariant($"{result.Qps / exactQps:F0}x"));
            if (jsonPath is not null)
            {
                JsonLines.Append(jsonPath, new FilterResult(Name, c.Name, n, index.Options.M, index.Options.EfConstruction, ef == 0 ? index.Options.EfSearch : ef,
                    Math.Round(result.Matches, 1), result.Strategy, Math.Round(result.Recall, 4), Math.Round(result.Qps, 1), Math.Round(exactQps, 1),
                    payloadBytes, rawBytes));
            }
        }
        _output.WriteLine();
        new FilterCost(_output).Run(index, jsonPath, cancellationToken);
        if (http)
        {
            await new FilterHttp(_output).RunAsync(new FilterHttp.Input(index, dataset, queryLabels, cases, truths),
                new FilterHttp.Settings(ef, batch, rounds, storageDirectory, jsonPath), cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    private sealed record Measured(double Matches, string Strategy, double Recall, double Qps, HashSet<string>[] Truth);

    private static Measured Measure(FilterCases.Case c, HnswIndex index, Dataset dataset, byte[] queryLabels, int ef, FilterStrategy? strategy,
        CancellationToken cancellationToken)
    {
        var queries = dataset.Queries;
        var filters = queries.Select((_, q) => c.Filter(queryLabels[q])).ToArray();

        // Ground truth: the k nearest of the matching items, by brute force.
        double recall = 0, matches = 0;
        var truth = new HashSet<string>[queries.Length];
        for (var q = 0; q < queries.Length; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nearest = new List<(float Distance, int Index)>();
            for (var i = 0; i < dataset.Base.Length; i++)
            {
                if (c.Matches(queryLabels[q], i)) { nearest.Add((ExactSearch.Distance(queries[q], dataset.Base[i], DistanceKind.Euclidean), i)); }
            }
            matches += nearest.Count;
            truth[q] = [.. nearest.OrderBy(e => e.Distance).ThenBy(e => e.Index).Take(K).Select(e => e.Index.ToString(CultureInfo.InvariantCulture))];
        }

        // Warm up, then time one pass over the queries on this thread.
        for (var q = 0; q < Math.Min(queries.Length, 50); q++) { index.Search(queries[q], K, ef, filters[q], strategy, out _, cancellationToken); }
        var strategies = new Dictionary<FilterStrategy, int>();
        var answers = new Hnsw.SearchHit[queries.Length][];
        var started = Stopwatch.GetTimestamp();
        for (var q = 0; q < queries.Length; q++)
        {
            answers[q] = index.Search(queries[q], K, ef, filters[q], strategy, out var plan, cancellationToken);
            strategies[plan.Strategy] = strategies.GetValueOrDefault(plan.Strategy) + 1;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        for (var q = 0; q < queries.Length; q++)
        {
            recall += truth[q].Count == 0 ? 1 : answers[q].Count(h => truth[q].Contains(h.Id)) / (double)truth[q].Count;
        }
        var chosen = string.Join("+", strategies.OrderByDescending(s => s.Value).Select(s => s.Key.ToString().ToLowerInvariant()));
        return new Measured(matches / queries.Length, chosen, recall / queries.Length, queries.Length / seconds, truth);
    }

    private static double ExactQps(Dataset dataset, CancellationToken cancellationToken)
    {
        var count = Math.Min(ExactQpsQueries, dataset.Queries.Length);
        ExactSearch.TopK(dataset.Base, dataset.Queries[0], K, DistanceKind.Euclidean);
        var seconds = Timing.Seconds(() =>
        {
            for (var q = 0; q < count; q++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ExactSearch.TopK(dataset.Base, dataset.Queries[q], K, DistanceKind.Euclidean);
            }
        });
        return count / seconds;
    }

    private void Line(FormattableString text) => _output.WriteLine(Invariant(text));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>One JSON line of the <c>filter</c> mode: one filter measured over the queries.</summary>
internal sealed record FilterResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("filter")] string Filter,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("m")] int M,
    [property: JsonPropertyName("ef_construction")] int EfConstruction,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("matches")] double Matches,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("recall_at_10")] double RecallAt10,
    [property: JsonPropertyName("qps")] double Qps,
    [property: JsonPropertyName("exact_qps")] double ExactQps,
    [property: JsonPropertyName("payload_bytes")] long PayloadBytes,
    [property: JsonPropertyName("raw_vector_bytes")] long RawVectorBytes);
