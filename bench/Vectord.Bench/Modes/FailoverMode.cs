using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectord.Bench.Cluster;
using Vectord.Bench.Common;

namespace Vectord.Bench.Modes;

/// <summary>
/// A node loss on a loopback cluster of real processes (<see cref="LoopbackCluster"/>: Redis, Azurite, <c>--silos</c>
/// silos, a standalone gateway), once per replica count of <c>--replicas</c>, each on a fresh cluster: one index of
/// <c>--vectors</c> random <c>--dim</c>-d vectors in <c>--shards</c> shards is ingested over HTTP (timed), a steady
/// search loop runs through the gateway (<c>--rate</c> searches a second), and the silo holding shard 0's primary is
/// killed (SIGKILL). Measured: failed searches and the longest time without an answer from the kill on, the time
/// until a write is accepted again, acknowledged items missing afterwards (all of them checked), and each copy's share
/// of the searches before the kill, and the memory each copy's index takes per vector (primaries and replicas). With <c>--rolling</c>, the killed silo is started again and then every silo is
/// restarted gracefully one by one under the same load, each once every copy is ready again. Goals with 2 copies: 0 failed searches, gap ≤ 1 s, writes
/// again ≤ 5 s, nothing lost, each copy 40–60% of its shard's searches, ingest ≥ 0.7× one copy's.
/// </summary>
internal sealed class FailoverMode(TextWriter? output = null) : IBenchMode
{
    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "failover";

    public string Summary => "kill -9 of a silo holding a primary under a steady search load, by replica count (real processes: redis, Azurite, silos, gateway)";

    public string Usage => """
          --vectors N     vectors in the index                                        [200000]
          --dim N         dimension                                                     [128]
          --shards N      shards of the index                                             [2]
          --replicas a,b  copies of each shard, one cluster each                        [1,2]
          --silos N       silo processes                                                  [3]
          --rate N        searches a second through the gateway                          [50]
          --after S       seconds of searching after the kill                            [15]
          --rolling       then restart every silo gracefully, one by one, under the load
          --snapshot-log-ratio R  the silos' Storage:SnapshotLogRatio (log after a snapshot, as a share of it) [1.0]
          --trace         list the slow and failed searches after the kill; keep the processes' logs
          --json FILE     append each result as one JSON object to FILE
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var vectors = args.GetInt("vectors", 200_000, min: 1000);
        var dimension = args.GetInt("dim", 128, min: 1, max: 4096);
        var shards = args.GetInt("shards", 2, min: 1, max: 64);
        var replicaCounts = args.GetIntList("replicas", [1, 2], min: 1, max: 8);
        var silos = args.GetInt("silos", 3, min: 2, max: 16);
        var rate = args.GetInt("rate", 50, min: 1, max: 1000);
        var after = args.GetInt("after", 15, min: 5, max: 600);
        var rolling = args.GetFlag("rolling");
        var trace = args.GetFlag("trace");
        double? snapshotLogRatio = args.GetString("snapshot-log-ratio") is { } text
            ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        var jsonPath = args.GetString("json");
        args.EnsureAllUsed();
        var output = _output;
        output.WriteLine(Invariant($"index       {vectors} x {dimension}-d in {shards} shards; {silos} silos, a gateway; {rate} searches/s"));

        double? oneCopyIngest = null;
        foreach (var replicas in replicaCounts)
        {
            var result = await RunOnceAsync(new Shape(vectors, dimension, shards, replicas, silos, rate, after, rolling, trace, snapshotLogRatio), cancellationToken).ConfigureAwait(false);
            oneCopyIngest ??= replicas == 1 ? result.IngestRate : null;
            result = result with { IngestVersusOneCopy = oneCopyIngest is { } one && replicas > 1 ? Math.Round(result.IngestRate / one, 3) : null };
            output.WriteLine(Invariant($"replicas {replicas}  ingest {result.IngestRate:F0} v/s{(result.IngestVersusOneCopy is { } v ? $" ({v:F2}x one copy, goal >= 0.7x)" : "")}; copies' shares of searches {string.Join(" ", result.SearchShares.Select(s => $"{s:P0}"))}; memory per vector: primaries {result.PrimaryBytesPerVector:F0} B{(result.Replicas > 1 ? $", replicas {result.ReplicaBytesPerVector:F0} B" : "")}"));
            output.WriteLine(Invariant($"            kill -9 of {result.Victim}: {result.Failed} of {result.Searches} searches failed, longest gap {result.LongestGap:F2} s, p99 {result.P99:F3} s, slowest {result.Slowest:F2} s; writes accepted again {result.WritesBackAfter:F2} s after; {result.Missing} of {result.Acknowledged} acknowledged missing"));
            if (result.FirstFailure is not null) { output.WriteLine($"            first failure: {result.FirstFailure}"); }
            if (result.RollingFailed is { } rf) { output.WriteLine(Invariant($"            rolling restart of {silos} silos: {rf} of {result.RollingSearches} searches failed, longest gap {result.RollingGap:F2} s")); }
            if (result.RollingFirstFailure is not null) { output.WriteLine($"            first failure in the rolling restart: {result.RollingFirstFailure}"); }
            if (jsonPath is not null) { JsonLines.Append(jsonPath, result); }
        }
        return 0;
    }

    private async Task<FailoverResult> RunOnceAsync(Shape shape, CancellationToken cancellationToken)
    {
        string[] siloSettings = shape.SnapshotLogRatio is { } ratio ? [FormattableString.Invariant($"--Storage:SnapshotLogRatio={ratio}")] : [];
        await using var cluster = await LoopbackCluster.StartAsync(shape.Silos, siloSettings, cancellationToken).ConfigureAwait(false);
        var http = cluster.Http;
        const string index = "failover";
        using (var created = await http.PostAsJsonAsync("vectors/index", new { name = index, dimension = shape.Dimension, distance = "euclidean", shards = shape.Shards, replicas = shape.Replicas }, cancellationToken).ConfigureAwait(false))
        {
            if (created.StatusCode != HttpStatusCode.Created) { throw new BenchException($"create: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}"); }
        }

        // Ingest: four callers of 1,000-item batches.
        const int batch = 1000;
        var batches = (shape.Vectors + batch - 1) / batch;
        var next = -1;
        var ingest = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var b = Interlocked.Increment(ref next); b < batches; b = Interlocked.Increment(ref next))
            {
                var count = Math.Min(batch, shape.Vectors - (b * batch));
                await AddAsync(http, index, [.. Enumerable.Range(b * batch, count).Select(i => $"v{i}")], shape.Dimension, seed: b, cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        var ingestRate = shape.Vectors / ingest.Elapsed.TotalSeconds;
        var acknowledged = new List<string>(Enumerable.Range(0, shape.Vectors).Select(i => $"v{i}"));

        var copies = await WaitReadyAsync(cluster, index, cancellationToken).ConfigureAwait(false);
        double BytesPerVector(string role)
        {
            var held = copies.Where(c => (string)c!["role"]! == role).ToArray();
            var vectors = held.Sum(c => (long)c!["length"]!);
            return vectors == 0 ? 0 : Math.Round(held.Sum(c => (long)c!["memory_bytes"]!) / (double)vectors, 1);
        }
        var (primaryBytes, replicaBytes) = (BytesPerVector("primary"), BytesPerVector("replica"));
        var rng = new Random(5);
        var queries = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, shape.Dimension).Select(_ => rng.NextSingle()).ToArray()).ToArray();
        var loop = new SearchLoop(http, index, queries, shape.Rate);
        using var stop = new CancellationTokenSource();
        var searching = loop.RunAsync(stop.Token);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken).ConfigureAwait(false);
            var shares = Shares(await cluster.CopiesAsync(index, cancellationToken).ConfigureAwait(false), copies);

            var primary = (await cluster.CopiesAsync(index, cancellationToken).ConfigureAwait(false))
                .First(c => (int)c!["shard"]! == 0 && (string)c["role"]! == "primary")!;
            var victim = cluster.SiloAt((string)primary["silo"]!);
            var killedAt = loop.Now;
            await victim.Process.KillHardAsync().ConfigureAwait(false);

            // Writes: a small batch of new ids every 100 ms, each on its own (as independent writers send them: one
            // whose message died with the silo does not hold back the next), until the end; writes are back when the
            // first one is accepted.
            var writesBack = double.NaN;
            var writeUntil = killedAt + shape.After;
            var writes = new List<Task>();
            for (var attempt = 0; loop.Now < writeUntil; attempt++)
            {
                string[] ids = [.. Enumerable.Range(attempt * 10, 10).Select(i => $"after-{i}")];
                var seed = 100_000 + attempt;
                writes.Add(Task.Run(async () =>
                {
                    try
                    {
                        await AddAsync(http, index, ids, shape.Dimension, seed, cancellationToken).ConfigureAwait(false);
                        var at = loop.Now - killedAt;
                        lock (acknowledged)
                        {
                            acknowledged.AddRange(ids);
                            if (double.IsNaN(writesBack) || at < writesBack) { writesBack = at; }
                        }
                    }
                    catch (BenchException)
                    {
                        // refused or timed out while the primary moves: its outcome is not counted as acknowledged
                    }
                }, cancellationToken));
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAll(writes).ConfigureAwait(false);
            var killSummary = loop.Summarize(killedAt - 1, loop.Now);
            if (shape.Trace)
            {
                _output.WriteLine(FormattableString.Invariant($"            killed at {DateTime.Now.AddSeconds(killedAt - loop.Now):HH:mm:ss.fff}; searches slower than 0.3 s:"));
                foreach (var line in loop.Slow(killedAt - 1, loop.Now, 0.3)) { _output.WriteLine("              " + line); }
            }

            int? rollingFailed = null, rollingSearches = null;
            double? rollingGap = null;
            string? rollingFailure = null;
            if (shape.Rolling)
            {
                await cluster.RestartAsync(victim, cancellationToken).ConfigureAwait(false);
                await WaitReadyAsync(cluster, index, cancellationToken).ConfigureAwait(false);
                var rollingFrom = loop.Now;
                // As an operator rolls a cluster: the next silo only once every copy is ready again.
                foreach (var silo in cluster.Silos)
                {
                    await cluster.RestartAsync(silo, cancellationToken).ConfigureAwait(false);
                    await WaitReadyAsync(cluster, index, cancellationToken).ConfigureAwait(false);
                }
                var rollingSummary = loop.Summarize(rollingFrom, loop.Now);
                (rollingFailed, rollingSearches, rollingGap, rollingFailure) =
                    (rollingSummary.Failed, rollingSummary.Sent, Math.Round(rollingSummary.LongestGap, 3), rollingSummary.FirstFailure);
            }
            await stop.CancelAsync().ConfigureAwait(false);
            await searching.ConfigureAwait(false);
            if (shape.Trace) { await WriteLogsAsync(cluster).ConfigureAwait(false); }

            var missing = await CountMissingAsync(http, index, acknowledged, cancellationToken).ConfigureAwait(false);
            return new FailoverResult(Name, shape.Vectors, shape.Dimension, shape.Shards, shape.Replicas, shape.Silos, shape.Rate,
                Math.Round(ingestRate, 1), null, shares, primaryBytes, replicaBytes, victim.Name, killSummary.Sent, killSummary.Failed, Math.Round(killSummary.LongestGap, 3),
                Math.Round(killSummary.P99, 4), Math.Round(killSummary.Slowest, 3), Math.Round(writesBack, 3), acknowledged.Count, missing,
                killSummary.FirstFailure, rollingFailed, rollingSearches, rollingGap, rollingFailure);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await searching.ConfigureAwait(false);
        }
    }

    private static async Task AddAsync(HttpClient http, string index, string[] ids, int dimension, int seed, CancellationToken cancellationToken)
    {
        var rng = new Random(seed);
        var items = ids.Select(id => new { id, vector = Enumerable.Range(0, dimension).Select(_ => rng.NextSingle()).ToArray() }).ToArray();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            using var response = await http.PostAsJsonAsync($"vectors/index/{index}/add", new { items }, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) { throw new BenchException($"add: {(int)response.StatusCode}"); }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new BenchException($"add: {e.Message}");
        }
    }

    /// <summary>Waits until every copy of every shard is active, ready and at its primary's log position.</summary>
    private static async Task<JsonArray> WaitReadyAsync(LoopbackCluster cluster, string index, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        string last = "";
        while (true)
        {
            try
            {
                var copies = await cluster.CopiesAsync(index, cancellationToken).ConfigureAwait(false);
                if (copies.All(c => (bool)c!["ready"]! && c["silo"] is not null && (long)c["lag"]! == 0)) { return copies; }
                last = copies.ToJsonString();
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline)
            {
                var logs = await WriteLogsAsync(cluster).ConfigureAwait(false);
                throw new BenchException($"the index's copies did not become ready within 5 minutes (the silos' logs are in {logs}): {last}");
            }
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the processes' logs to a directory of the temporary folder, and names it.</summary>
    private static async Task<string> WriteLogsAsync(LoopbackCluster cluster)
    {
        var logs = Path.Combine(Path.GetTempPath(), "vectord-failover-logs");
        Directory.CreateDirectory(logs);
        foreach (var silo in cluster.Silos) { await File.WriteAllTextAsync(Path.Combine(logs, silo.Name + ".log"), silo.Log, CancellationToken.None).ConfigureAwait(false); }
        await File.WriteAllTextAsync(Path.Combine(logs, "gateway.log"), cluster.Gateway.Output, CancellationToken.None).ConfigureAwait(false);
        return logs;
    }

    /// <summary>Each copy's share of its shard's searches between two listings.</summary>
    private static double[] Shares(JsonArray now, JsonArray before)
    {
        long Count(JsonArray copies, JsonNode copy) =>
            copies.Where(c => (int)c!["shard"]! == (int)copy["shard"]! && (int)c["replica"]! == (int)copy["replica"]!).Select(c => (long)c!["searches"]!).FirstOrDefault();
        return [.. now.GroupBy(c => (int)c!["shard"]!).SelectMany(shard =>
        {
            var served = shard.Select(c => Count(now, c!) - Count(before, c!)).ToArray();
            var total = Math.Max(1, served.Sum());
            return served.Select(s => Math.Round((double)s / total, 3));
        })];
    }

    /// <summary>Acknowledged items the index no longer has: its length first, then every id by a get.</summary>
    private static async Task<int> CountMissingAsync(HttpClient http, string index, List<string> acknowledged, CancellationToken cancellationToken)
    {
        var missing = 0;
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, token) =>
        {
            using var response = await http.GetAsync($"vectors/index/{index}/items/{Uri.EscapeDataString(id)}", token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) { Interlocked.Increment(ref missing); }
        }).ConfigureAwait(false);
        return missing;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private sealed record Shape(int Vectors, int Dimension, int Shards, int Replicas, int Silos, int Rate, int After, bool Rolling, bool Trace, double? SnapshotLogRatio);
}

/// <summary>One line of the <c>failover</c> mode.</summary>
internal sealed record FailoverResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("vectors")] int Vectors,
    [property: JsonPropertyName("dim")] int Dimension,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("silos")] int Silos,
    [property: JsonPropertyName("rate")] int Rate,
    [property: JsonPropertyName("ingest_rate")] double IngestRate,
    [property: JsonPropertyName("ingest_vs_one_copy")] double? IngestVersusOneCopy,
    [property: JsonPropertyName("search_shares")] double[] SearchShares,
    [property: JsonPropertyName("primary_bytes_per_vector")] double PrimaryBytesPerVector,
    [property: JsonPropertyName("replica_bytes_per_vector")] double ReplicaBytesPerVector,
    [property: JsonPropertyName("victim")] string Victim,
    [property: JsonPropertyName("searches")] int Searches,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("longest_gap_s")] double LongestGap,
    [property: JsonPropertyName("p99_s")] double P99,
    [property: JsonPropertyName("slowest_s")] double Slowest,
    [property: JsonPropertyName("writes_back_after_s")] double WritesBackAfter,
    [property: JsonPropertyName("acknowledged")] int Acknowledged,
    [property: JsonPropertyName("missing")] int Missing,
    [property: JsonPropertyName("first_failure")] string? FirstFailure,
    [property: JsonPropertyName("rolling_failed")] int? RollingFailed,
    [property: JsonPropertyName("rolling_searches")] int? RollingSearches,
    [property: JsonPropertyName("rolling_gap_s")] double? RollingGap,
    [property: JsonPropertyName("rolling_first_failure")] string? RollingFirstFailure);
