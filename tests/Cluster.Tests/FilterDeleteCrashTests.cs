using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// A delete by filter is durable: the node is killed with SIGKILL the moment its 200 arrives, and a new process on
/// the same storage has none of the deleted items and every other one, on an index of one part and on one of three
/// shards.
/// </summary>
public sealed class FilterDeleteCrashTests : IDisposable
{
    private const int Dimension = 8;
    private const int Count = 600;
    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>Green, below 400, and not with nested.k 4: a share of every shard, anywhere in the id order.</summary>
    private const string DeleteFilter =
        """{"must":[{"key":"color","match":{"value":"green"}},{"key":"n","range":{"lt":400}}],"must_not":[{"key":"nested.k","match":{"value":4}}]}""";

    private static bool Doomed(int n) => Colors[n % 3] == "green" && n < 400 && n % 10 != 4;

    private readonly TempDirectory _dir = new("vectord-filtercrash");

    public void Dispose() => _dir.Dispose();

    private HostProcess StartSilo() => HostProcess.Start("silo", "Vectord.Silo",
        [$"--Storage:Path={_dir.Path}", $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}"]);

    private static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"i{n:D4}");

    private static JsonObject Metadata(int n) => new()
    {
        ["n"] = n,
        ["color"] = Colors[n % 3],
        ["tags"] = n % 5 == 0 ? new JsonArray() : new JsonArray($"t{n % 4}"),
        ["nested"] = new JsonObject { ["k"] = n % 10 },
    };

    private static float Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) { sum += (a[i] - b[i]) * (double)(a[i] - b[i]); }
        return (float)Math.Sqrt(sum);
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonNode body, CancellationToken ct)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Kill_9_right_after_a_delete_by_filter_answers_loses_none_of_it()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] names = ["plain", "sharded"];
        var random = new Random(3);
        var vectors = Enumerable.Range(0, Count).Select(_ => Enumerable.Range(0, Dimension).Select(_ => random.NextSingle()).ToArray()).ToArray();
        var doomed = Enumerable.Range(0, Count).Where(Doomed).ToArray();
        var survivors = Enumerable.Range(0, Count).Where(n => !Doomed(n)).ToArray();
        Assert.InRange(doomed.Length, 100, 200);   // the filter selects a real share, not none or all

        var acknowledged = new Dictionary<string, JsonObject>();
        await using (var silo = StartSilo())
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
            var http = silo.Client;
            foreach (var (name, shards) in new[] { ("plain", 0), ("sharded", 3) })
            {
                using var created = await http.PostAsJsonAsync("vectors/index", new { name, dimension = Dimension, distance = "euclidean", shards }, ct);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                for (var from = 0; from < Count; from += 200)
                {
                    var items = new JsonArray([.. Enumerable.Range(from, 200).Select(n => (JsonNode)new JsonObject
                    {
                        ["id"] = Id(n),
                        ["vector"] = new JsonArray([.. vectors[n].Select(v => (JsonNode)v)]),
                        ["metadata"] = Metadata(n),
                    })]);
                    var added = await PostAsync(http, $"vectors/index/{name}/add", new JsonObject { ["items"] = items }, ct);
                    Assert.Equal(from + 200, (int)added["length"]!);
                }
            }

            // Both deletes at once; SIGKILL the moment both have answered.
            var deletes = names.Select(name => PostAsync(http, $"vectors/index/{name}/delete",
                new JsonObject { ["filter"] = JsonNode.Parse(DeleteFilter) }, ct)).ToArray();
            var answers = await Task.WhenAll(deletes);
            await silo.KillHardAsync();
            Assert.True(silo.HasExited, $"the silo survived SIGKILL: {silo.Describe()}");
            for (var i = 0; i < names.Length; i++)
            {
                acknowledged[names[i]] = answers[i];
                Assert.Equal(doomed.Length, (int)answers[i]["deleted"]!);
                Assert.Equal(survivors.Length, (int)answers[i]["length"]!);
            }
        }

        await using var restarted = StartSilo();
        await restarted.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        var client = restarted.Client;
        var queries = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, Dimension).Select(_ => random.NextSingle()).ToArray()).ToArray();
        foreach (var name in names)
        {
            int length = (int)acknowledged[name]["length"]!;
            var info = await client.GetFromJsonAsync<JsonObject>($"vectors/index/{name}", ct);
            Assert.Equal(length, (int)info!["length"]!);
            Assert.Equal(0, (int)(await PostAsync(client, $"vectors/index/{name}/count", new JsonObject { ["filter"] = JsonNode.Parse(DeleteFilter) }, ct))["count"]!);
            Assert.Equal(length, (int)(await PostAsync(client, $"vectors/index/{name}/count", new JsonObject(), ct))["count"]!);

            foreach (var n in doomed)
            {
                using var item = await client.GetAsync($"vectors/index/{name}/items/{Id(n)}", ct);
                Assert.True(item.StatusCode == HttpStatusCode.NotFound, $"{name}: deleted {Id(n)} answers {(int)item.StatusCode} after the restart");
            }

            // Every survivor, with its vector and metadata, in id order.
            var listed = new List<JsonObject>();
            string? after = null;
            for (var page = 0; page < 10; page++)
            {
                var body = new JsonObject { ["limit"] = 1000, ["vectors"] = true };
                if (after is not null) { body["after"] = after; }
                var answer = await PostAsync(client, $"vectors/index/{name}/items/query", body, ct);
                listed.AddRange(answer["items"]!.AsArray().Select(i => i!.AsObject()));
                after = (string?)answer["next"];
                if (after is null) { break; }
            }
            Assert.Null(after);
            Assert.Equal(survivors.Select(Id), listed.Select(i => (string)i["id"]!));
            foreach (var item in listed)
            {
                int n = int.Parse(((string)item["id"]!)[1..], CultureInfo.InvariantCulture);
                Assert.Equal(vectors[n], item["vector"]!.AsArray().Select(v => (float)v!).ToArray());
                Assert.True(JsonNode.DeepEquals(Metadata(n), item["metadata"]), $"{name}: {Id(n)} has metadata {item["metadata"]}");
            }

            // Filtered searches: the deleted filter finds nothing; green (the survivors of it) answers exactly.
            foreach (var q in queries)
            {
                var none = await PostAsync(client, $"vectors/index/{name}/search",
                    new JsonObject { ["vector"] = new JsonArray([.. q.Select(v => (JsonNode)v)]), ["k"] = 10, ["filter"] = JsonNode.Parse(DeleteFilter) }, ct);
                Assert.Empty(none["results"]!.AsArray());

                var green = await PostAsync(client, $"vectors/index/{name}/search",
                    new JsonObject { ["vector"] = new JsonArray([.. q.Select(v => (JsonNode)v)]), ["k"] = 10, ["filter"] = JsonNode.Parse("""{"must":[{"key":"color","match":{"value":"green"}}]}""") }, ct);
                var expected = survivors.Where(n => Colors[n % 3] == "green").OrderBy(n => Distance(q, vectors[n])).Take(10).ToArray();
                var hits = green["results"]!.AsArray();
                Assert.Equal(expected.Select(Id), hits.Select(h => (string)h!["id"]!));
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.Equal(Distance(q, vectors[expected[i]]), (float)hits[i]!["distance"]!, 1e-4f);
                }
            }
        }
    }
}
