using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// A real cluster on this machine: redis-server for membership, Azurite for index data, two silo processes and a
/// standalone gateway process, all on loopback ports, all stopped by pid when the test ends.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const int Dimension = 16;
    private const int IndexCount = 12;
    private const int Batches = 4;
    private const int BatchSize = 100;

    private const string Sharded = "sharded";
    private const int ShardCount = 4;

    [Fact]
    public async Task Killing_the_silo_that_hosts_an_index_moves_it_to_the_survivor_with_every_acknowledged_item()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var azurite = await AzuriteServer.StartAsync(ct);
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        string[] ClusterArgs() =>
        [
            "--Cluster:Provider=redis", $"--Cluster:ConnectionString={redis.ConnectionString}", $"--Cluster:ClusterId={clusterId}",
        ];
        string[] SiloArgs(int siloPort, int gatewayPort) =>
        [
            .. ClusterArgs(), $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}",
            "--Cluster:AdvertisedHost=127.0.0.1", "--Storage:Provider=azureblob",
            $"--Storage:ConnectionString={azurite.ConnectionString}", "--Storage:Container=failover",
        ];

        var siloPorts = new[] { FreePort.Next(), FreePort.Next() };
        await using var siloA = HostProcess.Start("silo-a", "Vectord.Silo", SiloArgs(siloPorts[0], FreePort.Next()));
        await using var siloB = HostProcess.Start("silo-b", "Vectord.Silo", SiloArgs(siloPorts[1], FreePort.Next()));
        await siloA.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await siloB.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await using var gateway = HostProcess.Start("gateway", "Vectord.Gateway", ClusterArgs());
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Create indexes and ingest through the gateway; remember exactly what was acknowledged.
        var names = Enumerable.Range(0, IndexCount).Select(i => $"idx-{i}").ToArray();
        var acknowledged = names.Append(Sharded).ToDictionary(n => n, _ => new Dictionary<string, float[]>());
        var rng = new Random(7);
        foreach (var name in names)
        {
            using var created = await http.PostAsJsonAsync("vectors/index",
                new { name, dimension = Dimension, distance = "euclidean" }, ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using (var created = await http.PostAsJsonAsync("vectors/index", new { name = Sharded, dimension = Dimension, distance = "euclidean", shards = ShardCount }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        for (var b = 0; b < Batches; b++)
        {
            foreach (var name in names.Append(Sharded))
            {
                var items = Enumerable.Range(b * BatchSize, BatchSize).Select(i => new
                {
                    id = $"{name}-{i}",
                    vector = Enumerable.Range(0, Dimension).Select(_ => rng.NextSingle()).ToArray(),
                    metadata = new { n = i },
                }).ToArray();
                using var added = await http.PostAsJsonAsync($"vectors/index/{name}/add", new { items }, ct);
                Assert.Equal(HttpStatusCode.OK, added.StatusCode);
                foreach (var item in items) { acknowledged[name][item.id] = item.vector; }
            }
        }

        // Which silo hosts which index (asked of the cluster itself), then kill -9 the one hosting idx-0.
        var placement = await GetPlacementAsync(redis.ConnectionString, clusterId, names, ct);
        var victimPort = placement["idx-0"];
        var (victim, survivor) = victimPort == siloPorts[0] ? (siloA, siloB) : (siloB, siloA);
        var moved = names.Where(n => placement[n] == victimPort).ToArray();
        output.WriteLine($"idx-0 on silo port {victimPort}; indexes on the killed silo: {string.Join(", ", moved)}");
        Assert.True(moved.Length < IndexCount, $"all {IndexCount} indexes were placed on one silo: {string.Join(", ", placement)}");

        // The shards of the sharded index spread over both silos.
        var shards = (await http.GetFromJsonAsync<JsonObject>($"vectors/index/{Sharded}/shards", ct))!["shards"]!.AsArray();
        Assert.Equal(ShardCount, shards.Count);
        Assert.Equal(Batches * BatchSize, shards.Sum(s => (int)s!["length"]!));
        var shardSilos = shards.Select(s => (string)s!["silo"]!).Distinct().ToArray();
        output.WriteLine($"shards of {Sharded}: {string.Join(", ", shards.Select(s => $"{s!["shard"]}@{s["silo"]}"))}");
        Assert.Equal(2, shardSilos.Length);

        var clock = Stopwatch.StartNew();
        await victim.KillHardAsync();

        // Every acknowledged item of the sharded index is found again by its own vector, wherever its shard was.
        var pending = new System.Collections.Concurrent.ConcurrentDictionary<string, float[]>(acknowledged[Sharded]);
        while (!pending.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            // Every pending item at once, a few searches in flight, until each finds itself.
            await Parallel.ForEachAsync(pending.ToArray(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (entry, token) =>
            {
                // A request already in flight to the killed silo when it died waits for Orleans' response timeout;
                // like a client with a deadline, give up on it after 2 s and ask again.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
                deadline.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    using var response = await http.PostAsJsonAsync($"vectors/index/{Sharded}/search", new { vector = entry.Value, k = 1 }, deadline.Token);
                    if (response.StatusCode != HttpStatusCode.OK) { return; }
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>(deadline.Token);
                    if ((string?)body!["results"]![0]!["id"] == entry.Key) { pending.TryRemove(entry.Key, out _); }
                }
                catch (HttpRequestException) { }
                catch (OperationCanceledException) when (!token.IsCancellationRequested) { }
            });
            if (!pending.IsEmpty) { await Task.Delay(50, ct); }
        }
        var shardedServed = clock.Elapsed;
        output.WriteLine($"every item of {Sharded} searchable again {shardedServed.TotalSeconds:F1} s after kill -9");
        Assert.Empty(pending);
        Assert.True(shardedServed < TimeSpan.FromSeconds(5), $"the sharded index took {shardedServed.TotalSeconds:F1} s to be whole again (goal < 5 s)");
        var served = await WaitUntilServedAsync(http, "idx-0", acknowledged["idx-0"], TimeSpan.FromSeconds(60), ct);
        Assert.True(served, $"idx-0 was not served again within 60 s.\nsurvivor:\n{survivor.Output}\ngateway:\n{gateway.Output}");
        var failover = clock.Elapsed;
        output.WriteLine($"failover: idx-0 served again {failover.TotalSeconds:F1} s after kill -9");
        Assert.True(failover < TimeSpan.FromSeconds(15), $"failover took {failover.TotalSeconds:F1} s (goal ≤ 15 s)");
        Assert.False(survivor.HasExited);

        var after = (await http.GetFromJsonAsync<JsonObject>($"vectors/index/{Sharded}/shards", ct))!["shards"]!.AsArray();
        Assert.Single(after.Select(s => (string)s!["silo"]!).Distinct());

        // Every acknowledged item of every index is there, vector and metadata intact.
        foreach (var name in names.Append(Sharded))
        {
            var info = await http.GetFromJsonAsync<JsonObject>($"vectors/index/{name}", ct);
            Assert.Equal(Batches * BatchSize, (int)info!["length"]!);
            foreach (var (id, vector) in acknowledged[name].Where((_, i) => i % 7 == 0))
            {
                var item = await http.GetFromJsonAsync<JsonObject>($"vectors/index/{name}/items/{id}", ct);
                Assert.Equal(vector, item!["vector"]!.AsArray().Select(v => (float)v!).ToArray());
                Assert.Equal(int.Parse(id[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                    (int)item["metadata"]!["n"]!);
            }
        }

        // And the survivor keeps taking writes for a moved index.
        using var more = await http.PostAsJsonAsync("vectors/index/idx-0/add",
            new { items = new[] { new { id = "after-failover", vector = new float[Dimension] } } }, ct);
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
    }

    private static async Task<bool> WaitUntilServedAsync(
        HttpClient http, string name, Dictionary<string, float[]> items, TimeSpan timeout, CancellationToken ct)
    {
        var (probeId, probe) = items.First();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.PostAsJsonAsync($"vectors/index/{name}/search", new { vector = probe, k = 1 }, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    if ((string?)body!["results"]![0]!["id"] == probeId) { return true; }
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct);
        }
        return false;
    }

    private static async Task<Dictionary<string, int>> GetPlacementAsync(
        string redis, string clusterId, string[] names, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(redis);
            client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "vectord"; });
        });
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var grains = host.Services.GetRequiredService<IClusterClient>();
            var management = grains.GetGrain<IManagementGrain>(0);
            var placement = new Dictionary<string, int>();
            foreach (var name in names)
            {
                var silo = await management.GetActivationAddress(grains.GetGrain<IVectorIndexGrain>(name), ct);
                placement[name] = silo?.Endpoint.Port ?? throw new InvalidOperationException($"{name} has no activation");
            }
            return placement;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
