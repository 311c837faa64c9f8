using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Bench.Service;
using Vectord.Hnsw;
using Vectord.Hnsw.Filtering;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// The <c>filter</c> mode's <c>--http</c> part: the same items with the same metadata in a service started in this
/// process (a silo and the gateway on Kestrel, a free loopback port), ingested through the index grain, then the same
/// queries with the same filters sent as <c>search/batch</c> requests from one client, beside the engine's own
/// single-threaded QPS on the same queries. Each round measures, filter by filter, the engine and then HTTP, within
/// moments of each other; the ratio reported per filter is the median of its rounds' ratios.
/// Goal: HTTP batch QPS at least 0.8× the engine's single-thread QPS.
/// </summary>
internal sealed class FilterHttp(TextWriter output)
{
    public const double Goal = 0.8;
    private const int K = 10;
    private const int IngestBatch = 1000;

    /// <summary>What the HTTP part needs of the engine part: the in-process index and, per filter, the brute-force
    /// truth of each query.</summary>
    public sealed record Input(HnswIndex Index, Dataset Dataset, byte[] QueryLabels, FilterCases Cases,
        IReadOnlyList<(FilterCases.Case Case, HashSet<string>[] Truth)> Filters);

    public sealed record Settings(int Ef, int Batch, int Rounds, string? StorageDirectory, string? JsonPath);

    private sealed class Prepared(FilterCases.Case c, PayloadFilter?[] engineFilters, byte[][] bodies, HashSet<string>[] truth)
    {
        public FilterCases.Case Case { get; } = c;
        public PayloadFilter?[] EngineFilters { get; } = engineFilters;
        public byte[][] Bodies { get; } = bodies;
        public HashSet<string>[] Truth { get; } = truth;
        public List<double> EngineQps { get; } = [];
        public List<double> HttpQps { get; } = [];
        public Hnsw.SearchHit[][]? EngineAnswers { get; set; }
        public byte[][]? HttpAnswers { get; set; }
    }

    public async Task RunAsync(Input input, Settings settings, CancellationToken cancellationToken)
    {
        var dataset = input.Dataset;
        var n = dataset.Base.Length;
        var queries = dataset.Queries;
        var index = input.Index;
        var ef = settings.Ef;

        // Bodies and filters are built before any timing; each filter is written once, as a contract filter.
        var prepared = input.Filters.Select(f =>
        {
            var contract = queries.Select((_, q) => f.Case.Contract(input.QueryLabels[q])).ToArray();
            var bodies = Enumerable.Range(0, (queries.Length + settings.Batch - 1) / settings.Batch).Select(b =>
            {
                var from = b * settings.Batch;
                var to = Math.Min(queries.Length, from + settings.Batch);
                return HttpBodies.SearchBatch(queries[from..to], contract[from..to], K, ef);
            }).ToArray();
            return new Prepared(f.Case, [.. queries.Select((_, q) => f.Case.Filter(input.QueryLabels[q]))], bodies, f.Truth);
        }).ToArray();
        var items = Enumerable.Range(0, n).Select(i => new IndexItem(Id(i), dataset.Base[i], input.Cases.MetadataJson(i))).Chunk(IngestBatch).ToArray();

        var storageOptions = new ServiceOptions { DatasetName = DatasetCatalog.FashionMnist, StorageDirectory = settings.StorageDirectory };
        using var lease = storageOptions.OpenStorage();
        await using var silo = await BenchSilo.StartWithHttpAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = silo.HttpAddress, Timeout = TimeSpan.FromMinutes(2) };
        output.WriteLine();
        output.WriteLine($"server      silo + HTTP API on {http.BaseAddress}, storage {lease.Storage.Describe()}");

        // The service's index: the same parameters (the grain builds with the engine's default ef_construction and
        // inserts on one thread), the same items and metadata, through the grain.
        var name = ServiceOptions.NewIndexName("filter");
        var spec = new IndexSpec(dataset.Dimension, index.Options.M, index.Options.EfSearch, IndexDistance.Euclidean);
        var ingestSeconds = await IngestAsync(silo.Grains, name, spec, items, cancellationToken).ConfigureAwait(false);
        items = null;
        output.WriteLine(Invariant($"ingest      {n} items with metadata through the grain in {ingestSeconds:F1} s ({n / ingestSeconds:F0} items/s), batches of {IngestBatch}"));
        var batchUri = new Uri($"vectors/index/{name}/search/batch", UriKind.Relative);

        double Engine(Prepared p, bool keep)
        {
            var answers = new Hnsw.SearchHit[queries.Length][];
            var started = Stopwatch.GetTimestamp();
            for (var q = 0; q < queries.Length; q++)
            {
                answers[q] = index.Search(queries[q], K, ef, p.EngineFilters[q], cancellationToken);
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (keep) { p.EngineAnswers = answers; }
            return queries.Length / seconds;
        }

        async Task<double> Http(Prepared p, bool keep)
        {
            var answers = new byte[p.Bodies.Length][];
            var started = Stopwatch.GetTimestamp();
            for (var b = 0; b < p.Bodies.Length; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var content = new ByteArrayContent(p.Bodies[b]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(batchUri, content, cancellationToken).ConfigureAwait(false);
                answers[b] = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var expected = Math.Min(settings.Batch, queries.Length - (b * settings.Batch));
                if (response.StatusCode != HttpStatusCode.OK || HttpBodies.CountResults(answers[b]) != expected)
                {
                    throw new BenchException($"search/batch ({p.Case.Name}): HTTP {(int)response.StatusCode}, expected {expected} result lists: " +
                        System.Text.Encoding.UTF8.GetString(answers[b].AsSpan(0, Math.Min(answers[b].Length, 500))));
                }
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (keep) { p.HttpAnswers = answers; }
            return queries.Length / seconds;
        }

        // Warm-up: one untimed pass of each filter both ways (JIT, the grain's activation, the connection).
        foreach (var p in prepared)
        {
            Engine(p, keep: false);
            await Http(p, keep: false).ConfigureAwait(false);
        }
        Timing.SettleMemory();
        for (var r = 0; r < settings.Rounds; r++)
        {
            foreach (var p in prepared)
            {
                p.EngineQps.Add(Engine(p, keep: r == 0));
                p.HttpQps.Add(await Http(p, keep: r == 0).ConfigureAwait(false));
            }
            output.WriteLine(Invariant($"round {r + 1,-5} ratio per filter {string.Join(" ", prepared.Select(p => (p.HttpQps[r] / p.EngineQps[r]).ToString("F2", CultureInfo.InvariantCulture)))}"));
        }
        var load = LoadAverage();

        output.WriteLine();
        output.WriteLine(Invariant($"search/batch of {settings.Batch} over HTTP from one client vs the engine single-threaded, k={K}, ef={(ef == 0 ? index.Options.EfSearch : ef)}, {queries.Length} queries, medians of {settings.Rounds} round(s); load average {load:F1}"));
        var table = new TextTable(new("filter", 24, false), new("engine qps", 10), new("http batch qps", 14), new("ratio", 6), new("goal", 6),
            new("verdict", 7, false), new("same ids", 9), new("recall engine", 13), new("recall http", 11));
        table.WriteHeader(output);
        foreach (var p in prepared)
        {
            var ratios = p.HttpQps.Zip(p.EngineQps, (h, e) => h / e).ToArray();
            var ratio = Median(ratios);
            var engineQps = Median(p.EngineQps);
            var httpQps = Median(p.HttpQps);
            var httpIds = p.HttpAnswers!.SelectMany(HttpBodies.BatchResultIds).ToArray();
            var engineIds = p.EngineAnswers!.Select(a => a.Select(h => h.Id).ToArray()).ToArray();
            var identical = Enumerable.Range(0, queries.Length).Count(q => httpIds[q].SequenceEqual(engineIds[q]));
            var recallEngine = Recall(engineIds, p.Truth);
            var recallHttp = Recall(httpIds, p.Truth);
            table.WriteRow(output, p.Case.Name, Invariant($"{engineQps:F0}"), Invariant($"{httpQps:F0}"), Invariant($"{ratio:F2}x"), Invariant($">={Goal:F1}x"),
                Verdict(ratio >= Goal), Invariant($"{identical}/{queries.Length}"), Invariant($"{recallEngine:F4}"), Invariant($"{recallHttp:F4}"));
            if (settings.JsonPath is not null)
            {
                JsonLines.Append(settings.JsonPath, new FilterHttpResult("filter-http", p.Case.Name, n, queries.Length, settings.Batch,
                    ef == 0 ? index.Options.EfSearch : ef, settings.Rounds, Math.Round(engineQps, 1), Math.Round(httpQps, 1), Math.Round(ratio, 3),
                    [.. ratios.Select(x => Math.Round(x, 3))], Goal, ratio >= Goal, identical, Math.Round(recallEngine, 4), Math.Round(recallHttp, 4),
                    Math.Round(ingestSeconds, 2), Math.Round(load, 2)));
            }
        }
    }

    /// <summary>Mean recall@k of the answers against the brute-force truth (a query with no match counts 1).</summary>
    private static double Recall(string[][] answers, HashSet<string>[] truth) =>
        Enumerable.Range(0, answers.Length).Average(q => truth[q].Count == 0 ? 1 : answers[q].Count(truth[q].Contains) / (double)truth[q].Count);
}

/// <summary>One JSON line of the <c>filter</c> mode's <c>--http</c> part: one filter, medians over the rounds.</summary>
internal sealed record FilterHttpResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("filter")] string Filter,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("engine_qps")] double EngineQps,
    [property: JsonPropertyName("http_qps")] double HttpQps,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("ratio_rounds")] double[] RatioRounds,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet,
    [property: JsonPropertyName("identical_answers")] int IdenticalAnswers,
    [property: JsonPropertyName("recall_engine")] double RecallEngine,
    [property: JsonPropertyName("recall_http")] double RecallHttp,
    [property: JsonPropertyName("ingest_seconds")] double IngestSeconds,
    [property: JsonPropertyName("load_average")] double LoadAverage);
