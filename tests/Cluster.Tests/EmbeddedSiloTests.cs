using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>The embedded default as a user runs it: one silo process, localhost clustering, file storage.</summary>
public sealed class EmbeddedSiloTests : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-embedded");

    public void Dispose() => _dir.Dispose();

    private HostProcess StartSilo() => HostProcess.Start("silo", "Vectord.Silo",
        [$"--Storage:Path={_dir.Path}", $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}"]);

    [Fact]
    public async Task Sigterm_lets_in_flight_writes_finish_and_a_restart_serves_every_acknowledged_item()
    {
        var ct = TestContext.Current.CancellationToken;
        var acknowledged = new List<string>();
        var acknowledgedCount = 0;

        await using (var silo = StartSilo())
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
            Assert.Contains("ready", silo.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"127.0.0.1:{silo.HttpPort}", silo.Output, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using (var created = await http.PostAsJsonAsync("vectors/index", new { name = "docs", dimension = 4 }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // A writer keeps adding batches (bounded in count) while SIGTERM arrives.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writer = Task.Run(async () =>
            {
                for (var batch = 0; batch < 2_000 && !stop.IsCancellationRequested; batch++)
                {
                    var items = Enumerable.Range(0, 20).Select(i => new
                    {
                        id = $"b{batch}-{i}",
                        vector = new[] { 1f + batch, 1f + i, 1f, 0.5f },
                    }).ToArray();
                    try
                    {
                        using var added = await http.PostAsJsonAsync("vectors/index/docs/add", new { items }, stop.Token);
                        if (added.StatusCode != HttpStatusCode.OK) { return; }
                        lock (acknowledged) { acknowledged.AddRange(items.Select(i => i.id)); }
                        Interlocked.Add(ref acknowledgedCount, items.Length);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; }
                }
            }, ct);

            // SIGTERM once a few batches are acknowledged and the writer is still going (bounded wait).
            await Eventually.HoldsAsync(() => Volatile.Read(ref acknowledgedCount) >= 60 || writer.IsCompleted, TimeSpan.FromSeconds(60), ct);
            Assert.True(acknowledged.Count > 0, "no write was acknowledged before SIGTERM");
            var exitCode = await silo.TerminateAsync(TimeSpan.FromSeconds(45));
            Assert.True(exitCode is not null, $"silo did not stop within 45 s of SIGTERM:\n{silo.Describe()}");
            Assert.True(exitCode == 0, $"silo exited with {exitCode} after SIGTERM:\n{silo.Describe()}");
            await stop.CancelAsync();
            await writer;
        }

        await using var restarted = StartSilo();
        await restarted.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        var info = await client.GetFromJsonAsync<JsonObject>("vectors/index/docs", ct);
        Assert.True((int)info!["length"]! >= acknowledged.Count, $"length {(int)info["length"]!} < acknowledged {acknowledged.Count}");
        foreach (var id in acknowledged.Where((_, i) => i % 13 == 0))
        {
            using var item = await client.GetAsync($"vectors/index/docs/items/{id}", ct);
            Assert.Equal(HttpStatusCode.OK, item.StatusCode);
        }
    }
}
