using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Snapshots over HTTP, end to end, against the time the index took to build: one process hosting a silo and the
/// HTTP API; the data set is added over HTTP in batches (the build), then a snapshot is taken
/// (<c>POST .../snapshots</c>), downloaded to a file (<c>GET .../snapshots/{name}</c>) and restored from that file
/// under a new name (<c>POST /vectors/snapshots/restore</c>), each timed. The restored index must hold every item and
/// answer the test queries exactly as the source does. Goal: create + download + restore at most 0.2× the build.
/// </summary>
internal sealed class SnapshotMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 0.2;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "snapshot";

    public string Summary => "snapshot create + download + restore over HTTP vs the index's build time over HTTP (goal <= 0.2x)";

    public string Usage => ServiceOptions.CommonUsage + """
          --queries N             test queries compared between the source and the restored index        [100]
          --shards N              parts of the index                                                  [1]
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: true, defaultQueries: 100);
        var shards = args.GetInt("shards", 1, min: 1, max: 64);
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var spec = options.Spec(dataset.Dimension) with { Shards = shards };
        var addBodies = GrainBatches(dataset, options.Batch).Select(HttpBodies.Add).ToArray();
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, dim {dataset.Dimension}, batches of {options.Batch}, {shards} shard(s)"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartWithHttpAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = silo.HttpAddress, Timeout = TimeSpan.FromMinutes(30) };
        output.WriteLine($"server      silo + HTTP API on {http.BaseAddress}, storage {lease.Storage.Describe()}");
        var file = Path.Combine(Path.GetTempPath(), $"vectord-bench-{Guid.NewGuid():N}.snapshot");
        try
        {
            Timing.SettleMemory();
            var source = ServiceOptions.NewIndexName(Name);
            var buildSeconds = await HttpMode.IngestHttpAsync(http, source, spec, addBodies, cancellationToken).ConfigureAwait(false);
            addBodies = null;
            output.WriteLine(Invariant($"build       {n} vectors over HTTP: {buildSeconds:F2} s ({n / buildSeconds:F0} vectors/s)"));
            Timing.SettleMemory();

            var start = Stopwatch.GetTimestamp();
            string snapshot, sha256;
            long size;
            using (var created = await http.PostAsync(new Uri($"vectors/index/{source}/snapshots", UriKind.Relative), null, cancellationToken).ConfigureAwait(false))
            {
                HttpMode.Expect(created, HttpStatusCode.Created, "create snapshot");
                using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                snapshot = json.RootElement.GetProperty("name").GetString()!;
                sha256 = json.RootElement.GetProperty("sha256").GetString()!;
                size = json.RootElement.GetProperty("size").GetInt64();
            }
            var createSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            start = Stopwatch.GetTimestamp();
            using (var download = await http.GetAsync(new Uri($"vectors/index/{source}/snapshots/{snapshot}", UriKind.Relative),
                HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                HttpMode.Expect(download, HttpStatusCode.OK, "download snapshot");
                await using var body = await download.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var target = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
                await body.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
            var downloadSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            var restored = ServiceOptions.NewIndexName("restored");
            start = Stopwatch.GetTimestamp();
            await using (var upload = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
            {
                using var content = new StreamContent(upload, 1 << 20);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync(new Uri($"vectors/snapshots/restore?index={restored}&sha256={sha256}", UriKind.Relative),
                    content, cancellationToken).ConfigureAwait(false);
                HttpMode.Expect(response, HttpStatusCode.Created, "restore snapshot");
            }
            var restoreSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            await CheckSameAsync(silo.Grains, source, restored, n, dataset.Queries, options.Ef).ConfigureAwait(false);
            string fileSha;
            await using (var written = File.OpenRead(file))
            {
                fileSha = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken).ConfigureAwait(false));
            }
            if (fileSha != sha256) { throw new BenchException($"the downloaded file's SHA-256 {fileSha} is not the reported {sha256}"); }

            var total = createSeconds + downloadSeconds + restoreSeconds;
            var ratio = total / buildSeconds;
            output.WriteLine(Invariant($"snapshot    {size / (1024.0 * 1024.0):F1} MiB: create {createSeconds:F2} s, download {downloadSeconds:F2} s, restore {restoreSeconds:F2} s; restored index identical on {dataset.Queries.Length} queries; load average {LoadAverage():F1}"));
            output.WriteLine();
            var table = new TextTable(new("n", 6), new("shards", 6), new("build s", 7), new("create s", 8), new("download s", 10), new("restore s", 9),
                new("ratio", 6), new("goal", 6), new("verdict", 7, false));
            table.WriteHeader(output);
            table.WriteRow(output, Invariant($"{n}"), Invariant($"{shards}"), Invariant($"{buildSeconds:F2}"), Invariant($"{createSeconds:F2}"),
                Invariant($"{downloadSeconds:F2}"), Invariant($"{restoreSeconds:F2}"), Invariant($"{ratio:F3}x"), Invariant($"<={Goal:F1}x"), Verdict(ratio <= Goal));
            if (options.JsonPath is not null)
            {
                JsonLines.Append(options.JsonPath, new SnapshotResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, shards, size,
                    Math.Round(buildSeconds, 3), Math.Round(createSeconds, 3), Math.Round(downloadSeconds, 3), Math.Round(restoreSeconds, 3),
                    Math.Round(ratio, 4), Goal, ratio <= Goal));
            }
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The restored index holds every item and answers each query as the source does.</summary>
    private static async Task CheckSameAsync(IGrainFactory grains, string source, string restored, int n, float[][] queries, int ef)
    {
        var copy = grains.GetGrain<IVectorIndexGrain>(restored);
        var length = (await copy.GetInfoAsync().ConfigureAwait(false)).Length;
        if (length != n) { throw new BenchException($"the restored index holds {length} items, not {n}"); }
        var original = grains.GetGrain<IVectorIndexGrain>(source);
        foreach (var query in queries)
        {
            var expected = await original.SearchAsync(query, K, ef).ConfigureAwait(false);
            var actual = await copy.SearchAsync(query, K, ef).ConfigureAwait(false);
            if (!expected.Select(h => h.Id).SequenceEqual(actual.Select(h => h.Id)))
            {
                throw new BenchException("the restored index answers a query differently from its source");
            }
        }
    }
}

/// <summary>One JSON line of the <c>snapshot</c> mode.</summary>
internal sealed record SnapshotResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("build_seconds")] double BuildSeconds,
    [property: JsonPropertyName("create_seconds")] double CreateSeconds,
    [property: JsonPropertyName("download_seconds")] double DownloadSeconds,
    [property: JsonPropertyName("restore_seconds")] double RestoreSeconds,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet);
