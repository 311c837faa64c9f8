using System.IO.Hashing;
using System.Net;
using System.Text;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A write to a sharded index that fails on some shards says which shards applied their share
/// (<c>applied_shards</c>), and that is what the index holds.</summary>
public sealed class ShardedWriteTests
{
    [Fact]
    public async Task An_add_refused_by_one_full_shard_names_the_shards_that_applied_it()
    {
        using var data = new TempDirectory("vectord-gw-shards");
        // 4096 bytes of 8-d vectors: 128 items per part.
        await using var server = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Storage:MaxPartVectorBytes"] = "4096" });
        HttpClient http = server.Client;
        string name = Http.NewName("full-shard");
        (await http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":8,"shards":3}""")).AssertJson(HttpStatusCode.Created);
        string[] fill = IdsOf(shard: 0, 128, "fill");
        (await http.PostReplyAsync($"/vectors/index/{name}/add", Batch(fill))).AssertJson(HttpStatusCode.OK);

        string[] one = IdsOf(shard: 1, 4, "new"), two = IdsOf(shard: 2, 3, "new"), zero = IdsOf(shard: 0, 1, "new");
        var refused = await http.PostReplyAsync($"/vectors/index/{name}/add", Batch([.. zero, .. one, .. two]));

        Assert.Contains("at most 128 vectors", refused.AssertProblem(HttpStatusCode.InsufficientStorage), StringComparison.Ordinal);
        Assert.Equal([1, 2], refused.Json.GetProperty("applied_shards").EnumerateArray().Select(s => s.GetInt32()));
        var shards = (await http.GetReplyAsync($"/vectors/index/{name}/shards")).AssertJson(HttpStatusCode.OK);
        Assert.Equal([128, 4, 3], shards.GetProperty("shards").EnumerateArray().Select(s => s.GetProperty("length").GetInt32()));
        foreach (string id in one.Concat(two))
        {
            (await http.GetReplyAsync($"/vectors/index/{name}/items/{id}")).AssertJson(HttpStatusCode.OK);
        }
        (await http.GetReplyAsync($"/vectors/index/{name}/items/{zero[0]}")).AssertProblem(HttpStatusCode.NotFound);

        // A refusal before any shard is written names none; an unsharded index never carries the member.
        var invalid = await http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"..","vector":[1,1,1,1,1,1,1,1]}]}""");
        invalid.AssertProblem(HttpStatusCode.BadRequest);
        Assert.False(invalid.Json.TryGetProperty("applied_shards", out _));
    }

    /// <summary>Ids placed on <paramref name="shard"/> of three by the routing of the storage format (XxHash64 of
    /// the UTF-8 id, modulo the shard count).</summary>
    internal static string[] IdsOf(int shard, int count, string prefix) =>
        [.. Enumerable.Range(0, int.MaxValue).Select(i => $"{prefix}-{i}")
            .Where(id => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)) % 3 == (ulong)shard).Take(count)];

    private static string Batch(string[] ids) =>
        JsonSerializer.Serialize(new { items = ids.Select((id, i) => new { id, vector = new float[] { 1, i, 0, 0, 0, 0, 0, 1 } }) });
}
