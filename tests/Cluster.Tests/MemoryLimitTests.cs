using System.Net;
using System.Text;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>A silo whose heap is capped, as .NET caps it in a memory-limited container: an index that outgrows the
/// memory is refused with 507 before anything is logged, and stays readable and writable within what fits.</summary>
public sealed class MemoryLimitTests : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-memory");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Adds_past_the_nodes_memory_are_507_and_the_index_keeps_serving_what_it_holds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = HostProcess.Start("silo", "Vectord.Silo",
            [$"--Storage:Path={_dir.Path}", $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}"],
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x18000000" });   // 384 MiB
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        const int Dimension = 16_384;   // 64 KiB per vector
        using (var created = await http.PostAsync("vectors/index",
            new StringContent($$"""{"name":"wide","dimension":{{Dimension}},"m":2,"distance":"euclidean"}""", Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Batches of 50 (3.2 MiB of vectors each) until the node refuses one; bounded in count.
        var acknowledged = 0;
        string? refusal = null;
        for (var batch = 0; batch < 200 && refusal is null; batch++)
        {
            using var added = await http.PostAsync("vectors/index/wide/add", new StringContent(Batch(batch, 50, Dimension), Encoding.UTF8, "application/json"), ct);
            var body = await added.Content.ReadAsStringAsync(ct);
            if (added.StatusCode == HttpStatusCode.OK) { acknowledged += 50; continue; }
            Assert.True(added.StatusCode == HttpStatusCode.InsufficientStorage, $"batch {batch}: {(int)added.StatusCode} {body}");
            refusal = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        }
        Assert.NotNull(refusal);
        Assert.Contains("memory", refusal, StringComparison.Ordinal);
        Assert.True(acknowledged > 0);

        // Nothing of the refused batch was applied; reads, searches and writes that fit go on.
        Assert.Equal(acknowledged, await LengthAsync(http, ct));
        using (var search = await http.PostAsync("vectors/index/wide/search",
            new StringContent(JsonSerializer.Serialize(new { vector = Vector(3, Dimension), k = 1 }), Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            Assert.Equal("b0-3", JsonDocument.Parse(await search.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("results")[0].GetProperty("id").GetString());
        }
        using (var deleted = await http.DeleteAsync("vectors/index/wide/items/b0-3", ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.Equal(acknowledged - 1, await LengthAsync(http, ct));
    }

    [Fact]
    public async Task Every_item_acknowledged_under_a_heap_limit_is_served_after_a_restart_under_the_same_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Dimension = 16_384, PerBatch = 300;   // 64 KiB per vector, 19 MiB of vectors per batch
        var acknowledged = 0;
        await using (var silo = await StartAsync(ct))
        {
            using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            using (var created = await http.PostAsync("vectors/index",
                new StringContent($$"""{"name":"wide","dimension":{{Dimension}},"m":2,"distance":"euclidean"}""", Encoding.UTF8, "application/json"), ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            var refused = false;
            for (var batch = 0; batch < 40 && !refused; batch++)
            {
                using var added = await http.PostAsync("vectors/index/wide/add", new StringContent(Batch(batch, PerBatch, Dimension), Encoding.UTF8, "application/json"), ct);
                if (added.StatusCode == HttpStatusCode.OK) { acknowledged += PerBatch; continue; }
                Assert.True(added.StatusCode == HttpStatusCode.InsufficientStorage, $"batch {batch}: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync(ct)}");
                refused = true;
            }
            Assert.True(refused && acknowledged > 0);
            await silo.KillHardAsync();   // no snapshot at the stop: the restart replays the log after the last one
        }

        await using (var silo = await StartAsync(ct))
        {
            using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            using var info = await http.GetAsync("vectors/index/wide", ct);
            var body = await info.Content.ReadAsStringAsync(ct);
            Assert.True(info.StatusCode == HttpStatusCode.OK, $"{(int)info.StatusCode} {body}");
            Assert.Equal(acknowledged, JsonDocument.Parse(body).RootElement.GetProperty("length").GetInt32());
            foreach (var id in new[] { "b0-0", $"b{(acknowledged / PerBatch) - 1}-{PerBatch - 1}" })
            {
                using var item = await http.GetAsync($"vectors/index/wide/items/{id}", ct);
                Assert.Equal(HttpStatusCode.OK, item.StatusCode);
            }
        }
    }

    private async Task<HostProcess> StartAsync(CancellationToken ct)
    {
        var silo = HostProcess.Start("silo", "Vectord.Silo",
            [$"--Storage:Path={_dir.Path}", $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}"],
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x2C000000" });   // 704 MiB
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        return silo;
    }

    private static async Task<int> LengthAsync(HttpClient http, CancellationToken ct)
    {
        using var info = await http.GetAsync("vectors/index/wide", ct);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        return JsonDocument.Parse(await info.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("length").GetInt32();
    }

    private static float[] Vector(int seed, int dimension)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++) { vector[i] = ((i * 31) + (seed * 17)) % 97 / 97f; }
        vector[0] = seed;   // every item distinct
        return vector;
    }

    private static string Batch(int batch, int count, int dimension)
    {
        var json = new StringBuilder("""{"items":[""");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) { json.Append(','); }
            json.Append($$"""{"id":"b{{batch}}-{{i}}","vector":""").Append(JsonSerializer.Serialize(Vector((batch * count) + i, dimension))).Append('}');
        }
        return json.Append("]}").ToString();
    }
}
