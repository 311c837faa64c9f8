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
        await using var gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", ClusterArgs());
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
                    metadata = new { n = i, color = Colors[i % 3], tags = new[] { $"t{i % 4}", $"t{(i + 1) % 4}" } },
                }).ToArray();
                using var added = await http.PostAsJsonAsync($"vectors/index/{name}/add", new { items }, ct);
                Assert.Equal(HttpStatusCode.OK, added.StatusCode);
                foreach (var item in items) { acknowledged[name][item.id] = item.vector; }
            }
        }

        // Delete by filter on every index (answered before the kill, so it must survive the failover too).
        foreach (var name in names.Append(Sharded))
        {
            var doomed = acknowledged[name].Keys.Where(id => DeletedByFilter(N(name, id))).ToArray();
            using var deleted = await http.PostAsync($"vectors/index/{name}/delete", Json($$"""{"filter":{{DeleteFilter}}}"""), ct);
            var answer = await deleted.Content.ReadFromJsonAsync<JsonObject>(ct);
            Assert.True(deleted.StatusCode == HttpStatusCode.OK, $"delete by filter on {name}: {(int)deleted.StatusCode} {answer}");
            Assert.Equal(doomed.Length, (int)answer!["deleted"]!);
            foreach (var id in doomed) { acknowledged[name].Remove(id); }
            Assert.Equal(acknowledged[name].Count, (int)answer["length"]!);
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
        Assert.Equal(acknowledged[Sharded].Count, shards.Sum(s => (int)s!["length"]!));
        var shardSilos = shards.Select(s => (string)s!["silo"]!).Distinct().ToArray();
        output.WriteLine($"shards of {Sharded}: {string.Join(", ", shards.Select(s => $"{s!["shard"]}@{s["silo"]}"))}");
        Assert.Equal(2, shardSilos.Length);
        foreach (var name in moved.Append(Sharded)) { await AssertFiltersAnswerAsync(http, name, acknowledged[name], ct); }

        var clock = Stopwatch.StartNew();
        await victim.KillHardAsync();

        // Every acknowledged item of the sharded index is found again by its own vector, wherever its shard was.
        var pending = new System.Collections.Concurrent.ConcurrentDictionary<string, float[]>(acknowledged[Sharded]);
        // Every pending item at once, a few searches in flight, until each finds itself.
        await Eventually.HoldsAsync(async () =>
        {
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
            return pending.IsEmpty;
        }, TimeSpan.FromSeconds(60), ct);
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
            Assert.Equal(acknowledged[name].Count, (int)info!["length"]!);
            foreach (var (id, vector) in acknowledged[name].Where((_, i) => i % 7 == 0))
            {
                var item = await http.GetFromJsonAsync<JsonObject>($"vectors/index/{name}/items/{id}", ct);
                Assert.Equal(vector, item!["vector"]!.AsArray().Select(v => (float)v!).ToArray());
                Assert.Equal(int.Parse(id[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                    (int)item["metadata"]!["n"]!);
            }
        }

        // Filters answer from the survivor as before: payload indexes rebuilt where the index (or a shard) re-activated.
        foreach (var name in moved.Append(Sharded)) { await AssertFiltersAnswerAsync(http, name, acknowledged[name], ct); }

        // And the survivor keeps taking writes for a moved index.
        using var more = await http.PostAsJsonAsync("vectors/index/idx-0/add",
            new { items = new[] { new { id = "after-failover", vector = new float[Dimension] } } }, ct);
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
    }

    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>Blue items below 120: deleted before the kill.</summary>
    private const string DeleteFilter = """{"must":[{"key":"color","match":{"value":"blue"}},{"key":"n","range":{"lt":120}}]}""";

    private static bool DeletedByFilter(int n) => n % 3 == 2 && n < 120;

    private static int N(string name, string id) => int.Parse(id[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Filters with the rule each applies to an item's n (its metadata follows from n).</summary>
    private static readonly (string Json, Func<int, bool> Matches)[] FilterCases =
    [
        ("""{"must":[{"key":"color","match":{"value":"red"}}]}""", n => n % 3 == 0),
        ("""{"must":[{"key":"tags","match":{"any":["t1"]}},{"key":"n","range":{"gte":100,"lt":300}}]}""", n => (n % 4 == 1 || n % 4 == 0) && n is >= 100 and < 300),
        ("""{"should":[{"key":"color","match":{"value":"green"}},{"has_id":["{name}-3","{name}-6"]}],"must_not":[{"key":"n","range":{"gt":50}}]}""", n => (n % 3 == 1 || n is 3 or 6) && n <= 50),
        (DeleteFilter, _ => false),
        ("{}", _ => true),
    ];

    /// <summary>count, items/query and a filtered search over <paramref name="name"/> answer as a scan of the
    /// acknowledged <paramref name="items"/> does (few match each filter: the search is exact).</summary>
    private static async Task AssertFiltersAnswerAsync(HttpClient http, string name, Dictionary<string, float[]> items, CancellationToken ct)
    {
        var random = new Random(name.Length);
        var query = Enumerable.Range(0, Dimension).Select(_ => random.NextSingle()).ToArray();
        foreach (var (template, matches) in FilterCases)
        {
            var filter = template.Replace("{name}", name, StringComparison.Ordinal);
            var expected = items.Keys.Where(id => matches(N(name, id))).Order(StringComparer.Ordinal).ToArray();

            using var counted = await http.PostAsync($"vectors/index/{name}/count", Json($$"""{"filter":{{filter}}}"""), ct);
            var count = await counted.Content.ReadFromJsonAsync<JsonObject>(ct);
            Assert.True(counted.StatusCode == HttpStatusCode.OK, $"{name} count {filter}: {(int)counted.StatusCode} {count}");
            Assert.True(expected.Length == (int)count!["count"]!, $"{name} count {filter}: {count["count"]}, expected {expected.Length}");

            using var queried = await http.PostAsync($"vectors/index/{name}/items/query", Json($$"""{"filter":{{filter}},"limit":1000}"""), ct);
            var page = await queried.Content.ReadFromJsonAsync<JsonObject>(ct);
            Assert.True(queried.StatusCode == HttpStatusCode.OK, $"{name} items/query {filter}: {(int)queried.StatusCode} {page}");
            Assert.Equal(expected, page!["items"]!.AsArray().Select(i => (string)i!["id"]!));
            Assert.All(page["items"]!.AsArray(), i => Assert.Equal(N(name, (string)i!["id"]!), (int)i["metadata"]!["n"]!));
            Assert.Null((string?)page["next"]);

            using var searched = await http.PostAsync($"vectors/index/{name}/search",
                Json($$"""{"vector":{{JsonSerializer.Serialize(query)}},"k":5,"filter":{{filter}}}"""), ct);
            var hits = await searched.Content.ReadFromJsonAsync<JsonObject>(ct);
            Assert.True(searched.StatusCode == HttpStatusCode.OK, $"{name} search {filter}: {(int)searched.StatusCode} {hits}");
            var nearest = expected.OrderBy(id => Distance(query, items[id])).Take(5);
            Assert.Equal(nearest, hits!["results"]!.AsArray().Select(h => (string)h!["id"]!));
        }
    }

    private static float Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) { sum += (a[i] - b[i]) * (double)(a[i] - b[i]); }
        return (float)Math.Sqrt(sum);
    }

    private static Task<bool> WaitUntilServedAsync(
        HttpClient http, string name, Dictionary<string, float[]> items, TimeSpan timeout, CancellationToken ct)
    {
        var (probeId, probe) = items.First();
        return Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await http.PostAsJsonAsync($"vectors/index/{name}/search", new { vector = probe, k = 1 }, ct);
                if (response.StatusCode != HttpStatusCode.OK) { return false; }
                var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                return (string?)body!["results"]![0]!["id"] == probeId;
            }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
        }, timeout, ct);
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
