using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>What the HTTP API answers when storage fails, and what a restarted node serves.</summary>
public sealed class StorageTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Refused_write_is_503_and_changes_nothing_until_storage_is_back()
    {
        string name = Http.NewName("refused");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,1],"metadata":"kept"}]}"""))
            .AssertJson(HttpStatusCode.OK);

        // The log directory of the index becomes a plain file: the next write cannot be stored.
        string wal = LogDirectory(node.Server.DataPath, name);
        Directory.Move(wal, wal + ".away");
        await File.WriteAllTextAsync(wal, "not a directory", TestContext.Current.CancellationToken);
        try
        {
            string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"b","vector":[2,2]},{"id":"a","vector":[9,9]}]}"""))
                .AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("storage", detail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(node.Server.DataPath, detail, StringComparison.Ordinal);   // internals go to the log only
            var refused = await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"b","vector":[2,2]}]}""");
            refused.AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.False(string.IsNullOrEmpty(refused.Json.GetProperty("traceId").GetString()));
            (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":["a"]}""")).AssertProblem(HttpStatusCode.ServiceUnavailable);
            (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/a")).AssertProblem(HttpStatusCode.ServiceUnavailable);

            // The index in memory is as before the refused writes.
            Assert.Equal(1, await _http.LengthAsync(name));
            var a = (await _http.GetReplyAsync($"/vectors/index/{name}/items/a")).AssertJson(HttpStatusCode.OK);
            Assert.Equal([1f, 1f], a.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()));
            Assert.Equal("kept", a.GetProperty("metadata").GetString());
            (await _http.GetReplyAsync($"/vectors/index/{name}/items/b")).AssertProblem(HttpStatusCode.NotFound);
        }
        finally
        {
            File.Delete(wal);
            Directory.Move(wal + ".away", wal);
        }

        var added = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"b","vector":[2,2]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, added.GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task Restarted_node_serves_the_same_data_and_reports_a_corrupt_index_as_503()
    {
        using var data = new TempDirectory("vectord-gw");
        string kept = "kept-" + Guid.NewGuid().ToString("N");
        string broken = "broken-" + Guid.NewGuid().ToString("N");
        string before;
        // No snapshot on shutdown: the log record damaged below must still be the index's only copy.
        var keepLog = new Dictionary<string, string?> { ["Storage:SnapshotOnDeactivate"] = "false" };
        await using (var first = await VectordServer.StartAsync(data.Path, keepLog))
        {
            var http = first.Client;
            await http.CreateIndexAsync(kept, 2, "euclidean");
            await http.CreateIndexAsync(broken, 2, "euclidean");
            (await http.PostReplyAsync($"/vectors/index/{kept}/add",
                """{"items":[{"id":"a","vector":[0,1],"metadata":{ "k" : [1, 2.50] }},{"id":"b","vector":[1,0]},{"id":"c","vector":[3,3],"metadata":null},{"id":"d","vector":[4,4]}]}"""))
                .AssertJson(HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteReplyAsync($"/vectors/index/{kept}/items/b")).Status);
            (await http.PostReplyAsync($"/vectors/index/{broken}/add", """{"items":[{"id":"x","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
            string dropped = "dropped-" + Guid.NewGuid().ToString("N");
            await http.CreateIndexAsync(dropped, 2);
            (await http.PostReplyAsync($"/vectors/index/{dropped}/add", """{"items":[{"id":"x","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteReplyAsync($"/vectors/index/{dropped}")).Status);
            before = (await http.PostReplyAsync($"/vectors/index/{kept}/search", """{"vector":[0,0],"k":10}""")).AssertJson(HttpStatusCode.OK).GetRawText();
        }

        // The dropped index left nothing behind.
        Assert.Equal(2, Directory.EnumerateDirectories(Path.Combine(data.Path, "indexes")).Count());

        // Damage the one log record of the second index.
        string record = Directory.EnumerateFiles(LogDirectory(data.Path, broken)).Single(f => !Path.GetFileName(f).StartsWith('.'));
        byte[] bytes = await File.ReadAllBytesAsync(record, TestContext.Current.CancellationToken);
        Array.Fill(bytes, (byte)0x5A, bytes.Length / 2, bytes.Length - bytes.Length / 2);
        await File.WriteAllBytesAsync(record, bytes, TestContext.Current.CancellationToken);

        await using var second = await VectordServer.StartAsync(data.Path);
        var client = second.Client;
        Assert.Equal([broken, kept], (await client.NamesAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(3, await client.LengthAsync(kept));
        string after = (await client.PostReplyAsync($"/vectors/index/{kept}/search", """{"vector":[0,0],"k":10}""")).AssertJson(HttpStatusCode.OK).GetRawText();
        Assert.Equal(before, after);
        Assert.Contains("\"metadata\":{ \"k\" : [1, 2.50] }", after, StringComparison.Ordinal);
        Assert.Contains("\"metadata\":null", after, StringComparison.Ordinal);
        (await client.GetReplyAsync($"/vectors/index/{kept}/items/b")).AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain("metadata", (await client.GetReplyAsync($"/vectors/index/{kept}/items/d")).AssertJson(HttpStatusCode.OK).GetRawText(), StringComparison.Ordinal);

        string detail = (await client.GetReplyAsync($"/vectors/index/{broken}")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("corrupt", detail, StringComparison.Ordinal);
        (await client.PostReplyAsync($"/vectors/index/{broken}/search", """{"vector":[1,2]}""")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        // A corrupt index can still be dropped.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteReplyAsync($"/vectors/index/{broken}")).Status);
        Assert.Equal([kept], await client.NamesAsync());
    }

    /// <summary>The write-ahead log directory of the current incarnation of index <paramref name="name"/>.</summary>
    private static string LogDirectory(string dataPath, string name)
    {
        string generation = Directory.EnumerateDirectories(Path.Combine(dataPath, "indexes", name)).Single();
        return Path.Combine(generation, "wal");
    }
}
