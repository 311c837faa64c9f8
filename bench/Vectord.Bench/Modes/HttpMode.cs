using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// The HTTP path end to end: one process hosting a silo and the gateway's endpoints on Kestrel (a free loopback
/// port), called with <see cref="HttpClient"/>. Measures ingest over HTTP (POST .../add in batches) against ingest
/// through the grain directly, and search QPS over HTTP from 1 and 2 concurrent clients against the engine's own
/// single-threaded QPS on an index of the same data built in the same run, in rounds that take the engine and
/// HTTP figures together; the search ratio is the median of the rounds' ratios.
/// Goals: HTTP search with one client at least 0.5× the engine; HTTP ingest at least 0.8× the grain's.
/// </summary>
internal sealed class HttpMode(TextWriter? output = null) : IBenchMode
{
    public const double SearchGoal = 0.5;
    public const double IngestGoal = 0.8;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "http";

    public string Summary => "search QPS (1, 2 clients) and ingest rate over HTTP vs the engine's single-thread QPS (goal >= 0.5x) and grain ingest (goal >= 0.8x)";

    public string Usage => ServiceOptions.CommonUsage + ServiceOptions.SearchUsage + """
          --rounds N              search rounds (engine, HTTP 1 client, HTTP 2 clients); medians reported   [5]
          --metadata BYTES        each item carries a JSON object of about BYTES bytes, returned by searches  [0]
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: true);
        var roundCount = args.GetInt("rounds", 5, min: 1, max: 100);
        var metadataBytes = args.GetInt("metadata", 0, min: 0, max: ItemLimits.MaxMetadataBytes);
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var ef = options.Ef;
        var spec = options.Spec(dataset.Dimension);
        var grainBatches = GrainBatches(dataset, options.Batch, metadataBytes);
        // Bodies are serialised before any timing: the figures are the server's path plus the transport.
        var addBodies = grainBatches.Select(HttpBodies.Add).ToArray();
        var searchBodies = dataset.Queries.Select(q => HttpBodies.Search(q, K, ef)).ToArray();
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, {dataset.Queries.Length} queries, dim {dataset.Dimension}, batches of {options.Batch}, k={K}, ef={ef}, metadata {metadataBytes} bytes an item"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartWithHttpAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = silo.HttpAddress, Timeout = TimeSpan.FromMinutes(2) };
        output.WriteLine($"server      silo + HTTP API on {http.BaseAddress}, storage {lease.Storage.Describe()}");

        // Warm-up of both ingest paths on a small slice (JIT, first activation, connections), then dropped.
        var take = Math.Max(1, Math.Min(grainBatches.Length, 2000 / grainBatches[0].Length));
        var warmGrain = ServiceOptions.NewIndexName("warmup");
        await IngestAsync(silo.Grains, warmGrain, spec, grainBatches[..take], cancellationToken).ConfigureAwait(false);
        await silo.Grains.GetGrain<IVectorIndexGrain>(warmGrain).DropAsync().ConfigureAwait(false);
        var warmHttp = ServiceOptions.NewIndexName("warmup");
        await IngestHttpAsync(http, warmHttp, spec, addBodies[..take], cancellationToken).ConfigureAwait(false);
        using (var drop = await http.DeleteAsync(new Uri("vectors/index/" + warmHttp, UriKind.Relative), cancellationToken).ConfigureAwait(false))
        {
            Expect(drop, HttpStatusCode.NoContent, "DELETE index");
        }

        // Ingest: through the grain, then over HTTP (separate indexes, same batches).
        Timing.SettleMemory();
        var grainName = ServiceOptions.NewIndexName("grain");
        var grainSeconds = await IngestAsync(silo.Grains, grainName, spec, grainBatches, cancellationToken).ConfigureAwait(false);
        await silo.Grains.GetGrain<IVectorIndexGrain>(grainName).DropAsync().ConfigureAwait(false);
        Timing.SettleMemory();
        var name = ServiceOptions.NewIndexName(Name);
        var httpSeconds = await IngestHttpAsync(http, name, spec, addBodies, cancellationToken).ConfigureAwait(false);
        var grainRate = n / grainSeconds;
        var httpRate = n / httpSeconds;
        var ingestRatio = httpRate / grainRate;
        output.WriteLine(Invariant($"ingest      grain {grainSeconds:F2} s ({grainRate:F0} vectors/s), HTTP {httpSeconds:F2} s ({httpRate:F0} vectors/s, {addBodies.Sum(b => (long)b.Length) / (1024.0 * 1024.0):F0} MiB of JSON)"));

        // Search. The engine index of the same data is built first, so that each round measures the engine alone,
        // then HTTP from one client, then from two, within seconds of each other: on a shared machine the speed of
        // the moment drifts from minute to minute, and a ratio is fair only between figures taken together. The
        // reported ratio is the median of the rounds' ratios.
        addBodies = null;
        var (engineIndex, engineBuild) = IngestEngine(options.EngineOptions(dataset.Dimension), EngineBatches(dataset, options.Batch, metadataBytes), -1);
        Timing.SettleMemory();
        var searchUri = new Uri($"vectors/index/{name}/search", UriKind.Relative);
        async Task<int> Search(int query)
        {
            using var content = new ByteArrayContent(searchBodies[query]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(searchUri, content, cancellationToken).ConfigureAwait(false);
            Expect(response, HttpStatusCode.OK, "search");
            return HttpBodies.CountResults(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        var rounds = new SearchRound[roundCount];
        for (var r = 0; r < roundCount; r++)
        {
            var engine = SearchMeasurement.Run(engineIndex, dataset.Queries, K, ef, cancellationToken).QueriesPerSecond;
            var (one, oneMean) = await SearchQpsAsync(Search, dataset.Queries.Length, 1, cancellationToken).ConfigureAwait(false);
            var (two, twoMean) = await SearchQpsAsync(Search, dataset.Queries.Length, 2, cancellationToken).ConfigureAwait(false);
            rounds[r] = new SearchRound(engine, one, oneMean, two, twoMean);
            output.WriteLine(Invariant($"round {r + 1,-5} engine single-thread {engine:F0} qps; HTTP 1 client {one:F0} qps (mean {oneMean:F3} ms, {one / engine:F2}x the engine), 2 clients {two:F0} qps (mean {twoMean:F3} ms)"));
        }
        var searchRatio = Median(rounds.Select(x => x.Ratio));
        var engineQps = Median(rounds.Select(x => x.EngineQps));
        var qps1 = Median(rounds.Select(x => x.HttpQps1));
        var mean1 = Median(rounds.Select(x => x.HttpMeanMs1));
        var qps2 = Median(rounds.Select(x => x.HttpQps2));
        var mean2 = Median(rounds.Select(x => x.HttpMeanMs2));
        var load = LoadAverage();
        output.WriteLine(Invariant($"search      medians of {roundCount} rounds: HTTP 1 client {qps1:F0} qps (mean {mean1:F3} ms), 2 clients {qps2:F0} qps (mean {mean2:F3} ms, {qps2 / qps1:F2}x); engine single-thread {engineQps:F0} qps (index built in {engineBuild:F1} s); ratio per round {string.Join(" ", rounds.Select(x => x.Ratio.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}; load average {load:F1}"));

        output.WriteLine();
        var table = new TextTable(new("figure", 30, false), new("HTTP", 8), new("baseline", 8), new("ratio", 6), new("goal", 6), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, "search qps, 1 client / engine", Invariant($"{qps1:F0}"), Invariant($"{engineQps:F0}"), Invariant($"{searchRatio:F2}x"),
            Invariant($">={SearchGoal:F1}x"), Verdict(searchRatio >= SearchGoal));
        table.WriteRow(output, "ingest vectors/s / grain", Invariant($"{httpRate:F0}"), Invariant($"{grainRate:F0}"), Invariant($"{ingestRatio:F2}x"),
            Invariant($">={IngestGoal:F1}x"), Verdict(ingestRatio >= IngestGoal));
        if (options.JsonPath is not null)
        {
            JsonLines.Append(options.JsonPath, new HttpResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, options.Batch, metadataBytes,
                dataset.Queries.Length, ef, roundCount, Math.Round(qps1, 1), Math.Round(mean1, 4), Math.Round(qps2, 1), Math.Round(mean2, 4),
                Math.Round(engineQps, 1), Math.Round(searchRatio, 3), [.. rounds.Select(x => Math.Round(x.Ratio, 3))], SearchGoal, searchRatio >= SearchGoal,
                Math.Round(grainRate, 1), Math.Round(httpRate, 1), Math.Round(ingestRatio, 3), IngestGoal, ingestRatio >= IngestGoal,
                Math.Round(load, 2)));
        }
        return 0;
    }

    /// <summary>Creates the index and adds the bodies over HTTP, one after another.</summary>
    /// <returns>Seconds the adds took.</returns>
    internal static async Task<double> IngestHttpAsync(HttpClient http, string name, IndexSpec spec, byte[][] bodies, CancellationToken cancellationToken)
    {
        using (var create = await PostAsync(http, "vectors/index", HttpBodies.CreateIndex(name, spec), cancellationToken).ConfigureAwait(false))
        {
            Expect(create, HttpStatusCode.Created, "create index");
        }
        var start = Stopwatch.GetTimestamp();
        foreach (var body in bodies)
        {
            using var response = await PostAsync(http, $"vectors/index/{name}/add", body, cancellationToken).ConfigureAwait(false);
            Expect(response, HttpStatusCode.OK, "add");
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails the run unless the answer has <paramref name="status"/>.</summary>
    internal static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            var detail = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            throw new BenchException($"{what}: HTTP {(int)response.StatusCode} (expected {(int)status}): {detail}");
        }
    }
}

/// <summary>One search round of the <c>http</c> mode: the engine alone, then HTTP from 1 and 2 clients.</summary>
internal readonly record struct SearchRound(double EngineQps, double HttpQps1, double HttpMeanMs1, double HttpQps2, double HttpMeanMs2)
{
    public double Ratio => HttpQps1 / EngineQps;
}

/// <summary>One JSON line of the <c>http</c> mode (search figures are medians over the rounds).</summary>
internal sealed record HttpResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("metadata_bytes")] int MetadataBytes,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("http_qps_1")] double HttpQps1,
    [property: JsonPropertyName("http_mean_ms_1")] double HttpMeanMs1,
    [property: JsonPropertyName("http_qps_2")] double HttpQps2,
    [property: JsonPropertyName("http_mean_ms_2")] double HttpMeanMs2,
    [property: JsonPropertyName("engine_qps")] double EngineQps,
    [property: JsonPropertyName("search_ratio")] double SearchRatio,
    [property: JsonPropertyName("search_ratio_rounds")] double[] SearchRatioRounds,
    [property: JsonPropertyName("search_goal")] double SearchGoal,
    [property: JsonPropertyName("search_goal_met")] bool SearchGoalMet,
    [property: JsonPropertyName("grain_vectors_per_second")] double GrainVectorsPerSecond,
    [property: JsonPropertyName("http_vectors_per_second")] double HttpVectorsPerSecond,
    [property: JsonPropertyName("ingest_ratio")] double IngestRatio,
    [property: JsonPropertyName("ingest_goal")] double IngestGoal,
    [property: JsonPropertyName("ingest_goal_met")] bool IngestGoalMet,
    [property: JsonPropertyName("load_average")] double LoadAverage);
