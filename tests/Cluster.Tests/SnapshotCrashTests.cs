using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// kill -9 while a snapshot is being written, with searches and writes going on: the restarted node has every
/// acknowledged item, recovered from the previous snapshot and the log after it, and the unfinished snapshot never
/// becomes one.
/// </summary>
public sealed class SnapshotCrashTests : IDisposable
{
    private const int Dimension = 128;
    private readonly TempDirectory _dir = new("vectord-snapcrash");

    public void Dispose() => _dir.Dispose();

    private HostProcess StartSilo() => HostProcess.Start("silo", "Vectord.Silo",
        [$"--Storage:Path={_dir.Path}", $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}",
        "--Storage:SnapshotMinLogBytes=262144", "--Storage:SnapshotOnDeactivate=false"]);

    [Fact]
    public async Task Kill_9_during_a_snapshot_loses_nothing_acknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        var acknowledged = new List<string>();
        await using (var silo = StartSilo())
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
            using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using (var created = await http.PostAsJsonAsync("vectors/index", new { name = "docs", dimension = Dimension, distance = "euclidean" }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writer = Task.Run(async () =>
            {
                var random = new Random(5);
                for (var batch = 0; batch < 2_000 && !stop.IsCancellationRequested; batch++)
                {
                    var items = Enumerable.Range(0, 100).Select(i => new
                    {
                        id = $"b{batch}-{i}",
                        vector = Enumerable.Range(0, Dimension).Select(_ => random.NextSingle()).ToArray(),
                    }).ToArray();
                    try
                    {
                        using var added = await http.PostAsJsonAsync("vectors/index/docs/add", new { items }, stop.Token);
                        if (added.StatusCode != HttpStatusCode.OK) { return; }
                        lock (acknowledged) { acknowledged.AddRange(items.Select(i => i.id)); }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; }
                }
            }, ct);
            var reader = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var _ = await http.PostAsJsonAsync("vectors/index/docs/search", new { vector = new float[Dimension], k = 5 }, stop.Token);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; }
                }
            }, ct);

            // A snapshot is written to a temporary file beside its final name, then linked into place: kill the node
            // the moment one is seen (bounded in time; snapshots come ever larger as the index grows).
            var watch = Stopwatch.StartNew();
            var caught = false;
            while (!caught && !writer.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                caught = SnapshotsBeingWritten().Length > 0 && HasSnapshot();
                if (!caught) { await Task.Delay(2, ct); }
            }
            await silo.KillHardAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writer, reader);
            Assert.True(caught, $"no snapshot was seen being written within {watch.Elapsed} ({acknowledged.Count} items acknowledged)");
        }

        await using var restarted = StartSilo();
        await restarted.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        var info = await client.GetFromJsonAsync<JsonObject>("vectors/index/docs", ct);
        Assert.True((int)info!["length"]! >= acknowledged.Count, $"length {(int)info["length"]!} < acknowledged {acknowledged.Count}");
        foreach (var id in acknowledged.Where((_, i) => i % 17 == 0))
        {
            using var item = await client.GetAsync($"vectors/index/docs/items/{id}", ct);
            Assert.True(item.StatusCode == HttpStatusCode.OK, $"acknowledged {id} is missing after the restart");
        }
        using var search = await client.PostAsJsonAsync("vectors/index/docs/search", new { vector = new float[Dimension], k = 5 }, ct);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    private string[] SnapshotsBeingWritten() =>
        Directory.Exists(_dir.Path)
            ? [.. Directory.EnumerateFiles(_dir.Path, ".*.tmp", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}snap{Path.DirectorySeparatorChar}", StringComparison.Ordinal))]
            : [];

    /// <summary>True once a finished snapshot exists: the crash then falls on a later one, so recovery starts from a
    /// snapshot and replays the log after it.</summary>
    private bool HasSnapshot() =>
        Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories)
            .Any(f => f.Contains($"{Path.DirectorySeparatorChar}snap{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'));
}
