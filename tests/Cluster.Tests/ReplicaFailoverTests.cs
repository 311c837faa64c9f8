using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// A replicated index on a real cluster on this machine: redis-server for membership, Azurite for index data, three
/// silo processes and a standalone gateway process, all on loopback ports, all stopped by pid when the test ends.
/// Killing (SIGKILL) the silo that holds a shard's primary, while searches keep arriving, fails no search and loses no
/// acknowledged write; writes are accepted again once the primary is re-activated.
/// </summary>
public sealed class ReplicaFailoverTests(ITestOutputHelper output)
{
    private const int Dimension = 16;
    private const string Index = "replicated";

    [Fact]
    public async Task Killing_the_silo_of_a_primary_under_search_load_fails_no_search_and_loses_no_acknowledged_item()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var azurite = await AzuriteServer.StartAsync(ct);
        var clusterId = "replicas-" + Guid.NewGuid().ToString("N")[..8];
        string[] clusterArgs = ["--Cluster:Provider=redis", $"--Cluster:ConnectionString={redis.ConnectionString}", $"--Cluster:ClusterId={clusterId}"];
        var siloPorts = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        var silos = new List<HostProcess>();
        try
        {
            foreach (var port in siloPorts)
            {
                silos.Add(HostProcess.Start($"silo-{port}", "Vectord.Silo",
                [
                    .. clusterArgs, $"--Cluster:SiloPort={port}", $"--Cluster:GatewayPort={FreePort.Next()}", "--Cluster:AdvertisedHost=127.0.0.1",
                    "--Storage:Provider=azureblob", $"--Storage:ConnectionString={azurite.ConnectionString}", "--Storage:Container=replicas",
                ]));
            }
            foreach (var silo in silos) { await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct); }
            await using var gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", clusterArgs);
            await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

            using (var created = await http.PostAsJsonAsync("vectors/index", new { name = Index, dimension = Dimension, distance = "euclidean", shards = 2, replicas = 2 }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            var acknowledged = new Dictionary<string, float[]>();
            var rng = new Random(11);
            for (var b = 0; b < 10; b++)
            {
                var items = Enumerable.Range(b * 200, 200).Select(i => (Id: $"item-{i}", Vector: Vector(rng))).ToArray();
                using var added = await http.PostAsJsonAsync($"vectors/index/{Index}/add", new { items = items.Select(i => new { id = i.Id, vector = i.Vector }) }, ct);
                Assert.Equal(HttpStatusCode.OK, added.StatusCode);
                foreach (var (id, vector) in items) { acknowledged[id] = vector; }
            }

            // Every copy ready, on its own silo.
            var copies = await Eventually.ReadAsync(() => CopiesAsync(http, ct), c => c.All(x => (bool)x!["ready"]! && (long)x["lag"]! == 0), TimeSpan.FromSeconds(60), ct);
            Assert.Equal(4, copies.Count);
            Assert.All(copies.GroupBy(c => (int)c!["shard"]!), shard => Assert.Equal(2, shard.Select(c => (string)c!["silo"]!).Distinct().Count()));
            var primary = copies.First(c => (int)c!["shard"]! == 0 && (string)c["role"]! == "primary")!;
            var victim = silos[Array.FindIndex(siloPorts, p => ((string)primary["silo"]!).EndsWith($":{p}", StringComparison.Ordinal))];

            // A steady load: a search every 20 ms, each on its own, until stopped (at most 2 minutes' worth).
            var queries = Enumerable.Range(0, 50).Select(_ => Vector(rng)).ToArray();
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var answered = 0;
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                var inFlight = new List<Task>();
                for (var i = 0; i < 6000 && !stop.IsCancellationRequested; i++)
                {
                    var query = queries[i % queries.Length];
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync($"vectors/index/{Index}/search", new { vector = query, k = 5 }, CancellationToken.None);
                            if (response.StatusCode == HttpStatusCode.OK) { Interlocked.Increment(ref answered); }
                            else { failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}"); }
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                        {
                            failures.Enqueue(e.Message);
                        }
                    }, CancellationToken.None));
                    await Task.Delay(20, CancellationToken.None);
                }
                await Task.WhenAll(inFlight);
            }, ct);
            await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref answered)), n => n >= 50, TimeSpan.FromSeconds(60), ct);

            var clock = Stopwatch.StartNew();
            await victim.KillHardAsync();
            var atKill = Volatile.Read(ref answered);

            // Writes to the killed primary's shard are accepted again once it is re-activated on a survivor.
            var after = Enumerable.Range(0, 50).Select(i => (Id: $"after-{i}", Vector: Vector(rng))).ToArray();
            var writesBack = await Eventually.ReadAsync(async () =>
            {
                using var added = await http.PostAsJsonAsync($"vectors/index/{Index}/add", new { items = after.Select(i => new { id = i.Id, vector = i.Vector }) }, ct);
                return added.StatusCode == HttpStatusCode.OK;
            }, ok => ok, TimeSpan.FromSeconds(90), ct);
            Assert.True(writesBack, "writes were not accepted again after the kill");
            output.WriteLine($"writes accepted again {clock.Elapsed.TotalSeconds:F1} s after the kill");
            foreach (var (id, vector) in after) { acknowledged[id] = vector; }

            await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref answered)), n => n >= atKill + 200, TimeSpan.FromSeconds(60), ct);
            await stop.CancelAsync();
            await load.WaitAsync(TimeSpan.FromSeconds(120), ct);
            output.WriteLine($"{Volatile.Read(ref answered)} searches answered, {atKill} before the kill; failures: {string.Join(" | ", failures.Take(5))}");
            if (!failures.IsEmpty)
            {
                // What the gateway logged of them (a 5xx names its exception there, under its trace id).
                foreach (var line in gateway.Output.Split('\n').Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(40))
                {
                    output.WriteLine(line);
                }
            }
            Assert.Empty(failures);
            Assert.True(Volatile.Read(ref answered) >= atKill + 200, "searches did not go on after the kill");

            var info = await http.GetFromJsonAsync<JsonObject>($"vectors/index/{Index}", ct);
            Assert.Equal(acknowledged.Count, (int)info!["length"]!);
            foreach (var (id, vector) in acknowledged.Where((_, i) => i % 5 == 0).Concat(acknowledged.Where(a => a.Key.StartsWith("after-", StringComparison.Ordinal))))
            {
                var item = await http.GetFromJsonAsync<JsonObject>($"vectors/index/{Index}/items/{id}", ct);
                Assert.Equal(vector, item!["vector"]!.AsArray().Select(v => (float)v!).ToArray());
            }
            // The copies settle on the same log position, each shard's copies on distinct surviving silos.
            var settled = await Eventually.ReadAsync(() => CopiesAsync(http, ct),
                c => c.All(x => (bool)x!["ready"]! && (long)x["lag"]! == 0) && c.GroupBy(x => (int)x!["shard"]!).All(s => s.Select(x => (long)x!["log_position"]!).Distinct().Count() == 1),
                TimeSpan.FromSeconds(60), ct);
            Assert.All(settled.GroupBy(c => (int)c!["shard"]!), shard =>
            {
                Assert.Single(shard.Select(c => (long)c!["log_position"]!).Distinct());
                Assert.Single(shard.Select(c => (int)c!["length"]!).Distinct());
                Assert.Equal(2, shard.Select(c => (string)c!["silo"]!).Distinct().Count());
            });
        }
        finally
        {
            foreach (var silo in silos) { await silo.DisposeAsync(); }
        }
    }

    private static float[] Vector(Random rng) => [.. Enumerable.Range(0, Dimension).Select(_ => rng.NextSingle())];

    private static async Task<JsonArray> CopiesAsync(HttpClient http, CancellationToken ct) =>
        (await http.GetFromJsonAsync<JsonObject>($"vectors/index/{Index}/shards", ct))!["shards"]!.AsArray();
}
