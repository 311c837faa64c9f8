using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// Metrics from where the data is: on a cluster of two silo processes (Redis membership, Azurite storage) behind a
/// standalone gateway, each silo's /metrics reports only the index parts it holds, so the per-node series summed
/// over the nodes equal the true totals, with no index counted twice.
/// </summary>
public sealed class ClusterMetricsTests(ITestOutputHelper output)
{
    private const int IndexCount = 10;

    [Fact]
    public async Task Per_node_series_summed_over_the_silos_equal_the_true_totals()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var azurite = await AzuriteServer.StartAsync(ct);
        var clusterId = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        string[] clusterArgs = ["--Cluster:Provider=redis", $"--Cluster:ConnectionString={redis.ConnectionString}", $"--Cluster:ClusterId={clusterId}"];
        string[] SiloArgs() =>
        [
            .. clusterArgs, $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}",
            "--Cluster:AdvertisedHost=127.0.0.1", "--Storage:Provider=azureblob",
            $"--Storage:ConnectionString={azurite.ConnectionString}", "--Storage:Container=metrics",
        ];
        await using var siloA = HostProcess.Start("silo-a", "Vectord.Silo", SiloArgs());
        await using var siloB = HostProcess.Start("silo-b", "Vectord.Silo", SiloArgs());
        await siloA.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await siloB.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await using var gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", clusterArgs);
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        var http = gateway.Client;

        // Indexes of different sizes, written through the gateway; some items replaced and some deleted.
        var names = Enumerable.Range(0, IndexCount).Select(i => $"m-{i}").ToArray();
        long itemsAdded = 0;
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            using (var created = await http.PostAsJsonAsync("vectors/index", new { name, dimension = 4, distance = "euclidean" }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            var items = Enumerable.Range(0, 5 + (7 * i)).Select(j => new { id = $"{name}-{j}", vector = new[] { j, i, 1f, 2f } }).ToArray();
            using (var added = await http.PostAsJsonAsync($"vectors/index/{name}/add", new { items }, ct))
            {
                Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            }
            using (var replaced = await http.PostAsJsonAsync($"vectors/index/{name}/add", new { items = items.Take(3).ToArray() }, ct))
            {
                Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            }
            using (var deleted = await http.PostAsJsonAsync($"vectors/index/{name}/delete", new { ids = new[] { $"{name}-0" } }, ct))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }
            itemsAdded += items.Length + 3;
        }
        var truth = new Dictionary<string, long>();
        foreach (var name in names)
        {
            var info = await http.GetFromJsonAsync<JsonElement>($"vectors/index/{name}", ct);
            truth[name] = info.GetProperty("length").GetInt64();
        }

        var perNode = new[] { siloA, siloB }.Select(s => Scrape(s, ct)).ToArray();
        var scraped = await Task.WhenAll(perNode);
        var vectors = scraped.Select(text => Series(text, "vectord_index_vectors")).ToArray();
        var bytes = scraped.Select(text => Series(text, "vectord_index_bytes")).ToArray();
        output.WriteLine($"silo-a holds {string.Join(", ", vectors[0].Keys.Order())}; silo-b holds {string.Join(", ", vectors[1].Keys.Order())}");

        foreach (var name in names)
        {
            var holders = vectors.Where(v => v.ContainsKey(name)).ToArray();
            Assert.True(holders.Length == 1, $"{name} is reported by {holders.Length} silos");
            Assert.Equal(truth[name], vectors.Sum(v => v.GetValueOrDefault(name)));
            Assert.True(bytes.Sum(b => b.GetValueOrDefault(name)) > 0, $"{name} has no bytes reported");
        }
        Assert.Equal(truth.Values.Sum(), vectors.Sum(v => v.Values.Sum()));
        Assert.Equal(itemsAdded, scraped.Sum(text => Counter(text, "vectord_items_added_total")));
        Assert.True(scraped.Sum(text => Counter(text, "vectord_wal_bytes_total")) > 0);

        // The gateway holds no part: it reports none, and its cluster view adds the silos up to the same truth.
        Assert.DoesNotContain("vectord_index_vectors{", await Scrape(gateway, ct), StringComparison.Ordinal);
        var view = await http.GetFromJsonAsync<JsonElement>("cluster/silos", ct);
        Assert.Equal(2, view.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "active"));
        Assert.Equal(truth.Values.Sum(), view.GetProperty("vectors").GetInt64());
        Assert.Equal(IndexCount, view.GetProperty("indexes").GetInt32());
    }

    private static async Task<string> Scrape(HostProcess host, CancellationToken ct)
    {
        using var response = await host.Client.GetAsync(new Uri("metrics", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>The samples of a gauge tagged with index and shard 0, by index.</summary>
    private static Dictionary<string, long> Series(string text, string metric)
    {
        var values = new Dictionary<string, long>();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal)))
        {
            int at = line.IndexOf("index=\"", StringComparison.Ordinal) + "index=\"".Length;
            string index = line[at..line.IndexOf('"', at)];
            Assert.Contains("shard=\"0\"", line, StringComparison.Ordinal);
            values[index] = (long)double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture);
        }
        return values;
    }

    private static long Counter(string text, string metric) =>
        (long)text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
}
