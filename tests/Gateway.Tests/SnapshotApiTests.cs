using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The snapshot routes over HTTP on a co-hosted node with file storage: the round trip, refused uploads that
/// leave nothing behind, conflicts, names and 404s.</summary>
public sealed partial class SnapshotApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string> SourceAsync(int shards, int count = 200)
    {
        string name = Http.NewName("snap");
        (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":8,"distance":"cosine","shards":{{shards}}}"""))
            .AssertJson(HttpStatusCode.Created);
        var random = new Random(shards);
        for (int start = 0; start < count; start += 100)
        {
            var items = Enumerable.Range(start, Math.Min(100, count - start)).Select(i => new
            {
                id = $"it-{i:D4}",
                vector = Enumerable.Range(0, 8).Select(_ => (random.NextSingle() * 2) - 1).ToArray(),
                metadata = i % 3 == 0 ? null : new { i, tag = $"t{i % 4}" },
            });
            (await _http.PostReplyAsync($"/vectors/index/{name}/add", JsonSerializer.Serialize(new { items })))
                .AssertJson(HttpStatusCode.OK);
        }
        return name;
    }

    private async Task<JsonElement> SnapshotAsync(string name)
    {
        var reply = await _http.PostReplyAsync($"/vectors/index/{name}/snapshots", null);
        var json = reply.AssertJson(HttpStatusCode.Created);
        Assert.Equal($"/vectors/index/{name}/snapshots/{json.GetProperty("name").GetString()}", reply.Headers.Location?.OriginalString);
        return json;
    }

    private async Task<Reply> RestoreAsync(string query, byte[] file)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PostAsync($"/vectors/snapshots/restore?{query}", content, Cancel);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Cancel), response.Headers);
    }

    private async Task<string[][]> AnswersAsync(string name)
    {
        var random = new Random(42);
        var answers = new List<string[]>();
        for (int q = 0; q < 8; q++)
        {
            string vector = JsonSerializer.Serialize(Enumerable.Range(0, 8).Select(_ => (random.NextSingle() * 2) - 1));
            var json = (await _http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":{{vector}},"k":10,"ef":1000}"""))
                .AssertJson(HttpStatusCode.OK);
            answers.Add([.. json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString() + " " + r.GetProperty("metadata").ToString())]);
        }
        return [.. answers];
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 1)]
    public async Task Create_list_download_and_restore_under_a_new_name_and_another_shard_count_answer_the_same(int shards, int otherShards)
    {
        string name = await SourceAsync(shards);
        var first = await SnapshotAsync(name);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/it-0001")).Status);
        var second = await SnapshotAsync(name);
        string snapshot = second.GetProperty("name").GetString()!;
        Assert.Matches(SnapshotName(), snapshot);
        Assert.StartsWith(name + "-", snapshot, StringComparison.Ordinal);
        Assert.Equal((200, 199), (first.GetProperty("length").GetInt32(), second.GetProperty("length").GetInt32()));
        Assert.True(DateTimeOffset.Parse(second.GetProperty("created").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow);

        var list = (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots")).AssertJson(HttpStatusCode.OK);
        Assert.Equal([second.ToString(), first.ToString()], list.GetProperty("snapshots").EnumerateArray().Select(s => s.ToString()));

        using var download = await _http.GetAsync($"/vectors/index/{name}/snapshots/{snapshot}", Cancel);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        byte[] file = await download.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal(second.GetProperty("size").GetInt64(), file.LongLength);
        Assert.Equal(file.LongLength, download.Content.Headers.ContentLength);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        Assert.Equal(second.GetProperty("sha256").GetString(), sha256);

        string same = Http.NewName("same");
        string other = Http.NewName("other");
        var restored = (await RestoreAsync($"index={same}&sha256={sha256}", file)).AssertJson(HttpStatusCode.Created);
        Assert.Equal((same, shards, 199), (restored.GetProperty("params").GetProperty("name").GetString(),
            restored.GetProperty("params").GetProperty("shards").GetInt32(), restored.GetProperty("length").GetInt32()));
        Assert.Equal("cosine", restored.GetProperty("params").GetProperty("distance").GetString());
        restored = (await RestoreAsync($"index={other}&shards={otherShards}", file)).AssertJson(HttpStatusCode.Created);
        Assert.Equal((otherShards, 199), (restored.GetProperty("params").GetProperty("shards").GetInt32(), restored.GetProperty("length").GetInt32()));

        var expected = await AnswersAsync(name);
        Assert.Equal(expected, await AnswersAsync(same));
        Assert.Equal(expected, await AnswersAsync(other));
        (await _http.GetReplyAsync($"/vectors/index/{other}/items/it-0001")).AssertProblem(HttpStatusCode.NotFound);
        var item = (await _http.GetReplyAsync($"/vectors/index/{other}/items/it-0002")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""{"i":2,"tag":"t2"}""", item.GetProperty("metadata").GetRawText());

        // A restored index takes writes and keeps them.
        (await _http.PostReplyAsync($"/vectors/index/{same}/add", """{"items":[{"id":"new","vector":[1,0,0,0,0,0,0,0]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(200, await _http.LengthAsync(same));

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteReplyAsync($"/vectors/index/{name}/snapshots/{snapshot}")).Status);
        (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots/{snapshot}")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.DeleteReplyAsync($"/vectors/index/{name}/snapshots/{snapshot}")).AssertProblem(HttpStatusCode.NotFound);
        list = (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots")).AssertJson(HttpStatusCode.OK);
        Assert.Equal([first.ToString()], list.GetProperty("snapshots").EnumerateArray().Select(s => s.ToString()));
    }

    [Fact]
    public async Task Damaged_truncated_unknown_version_and_mismatched_uploads_are_400_and_create_nothing()
    {
        string name = await SourceAsync(2, count: 100);
        string snapshot = (await SnapshotAsync(name)).GetProperty("name").GetString()!;
        byte[] file = await _http.GetByteArrayAsync($"/vectors/index/{name}/snapshots/{snapshot}", Cancel);
        byte[] damaged = (byte[])file.Clone();
        damaged[file.Length / 2] ^= 0x08;
        byte[] later = (byte[])file.Clone();
        later[8] = 9;

        string target = Http.NewName("refused");
        var cases = new (string Query, byte[] Body, string Detail)[]
        {
            ($"index={target}", damaged, "snapshot: the file is damaged: its content does not match the SHA-256 in its trailer"),
            ($"index={target}", file[..(file.Length - 1000)], "snapshot: the file is truncated or damaged: it does not end with a snapshot trailer"),
            ($"index={target}", file[..10], "snapshot: the file is truncated (10 bytes)"),
            ($"index={target}", [], "snapshot: the file is truncated (0 bytes)"),
            ($"index={target}", later, "snapshot: unknown snapshot version 9 (this server reads version 1)"),
            ($"index={target}", Encoding.UTF8.GetBytes("""{"items":[]} and more text"""), "snapshot: not a Vectord snapshot (bad magic)"),
            ($"index={target}&sha256={new string('a', 64)}", file, $"snapshot: the file's SHA-256 is {Convert.ToHexStringLower(SHA256.HashData(file))}, not {new string('a', 64)}"),
        };
        foreach (var (query, body, detail) in cases)
        {
            Assert.Equal(detail, (await RestoreAsync(query, body)).AssertProblem(HttpStatusCode.BadRequest));
        }

        (await _http.GetReplyAsync($"/vectors/index/{target}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(target, await _http.NamesAsync());
        Assert.False(Directory.Exists(Path.Combine(node.Server.DataPath, "indexes", target)));
        string uploads = Path.Combine(node.Server.DataPath, "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFileSystemEntries(uploads).Length == 0);

        // The same file, sound, restores under that name afterwards.
        (await RestoreAsync($"index={target}", file)).AssertJson(HttpStatusCode.Created);
        Assert.Equal(100, await _http.LengthAsync(target));
    }

    [Fact]
    public async Task A_body_past_the_64_MiB_json_cap_is_streamed_and_judged_on_its_content()
    {
        // A snapshot prefix followed by 65 MiB of zeros: not a 413, but a file without its trailer.
        byte[] body = new byte[(65 << 20) + 16];
        "VDSNAPSH"u8.CopyTo(body);
        body[8] = 1;
        body[12] = 2;
        string target = Http.NewName("big");
        string detail = (await RestoreAsync($"index={target}", body)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("snapshot: the file is truncated or damaged: it does not end with a snapshot trailer", detail);
        (await _http.GetReplyAsync($"/vectors/index/{target}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Conflicts_bad_names_and_missing_things_answer_409_400_and_404()
    {
        string name = await SourceAsync(1, count: 10);
        string snapshot = (await SnapshotAsync(name)).GetProperty("name").GetString()!;
        byte[] file = await _http.GetByteArrayAsync($"/vectors/index/{name}/snapshots/{snapshot}", Cancel);

        Assert.Equal("index already exists", (await RestoreAsync($"index={name}", file)).AssertProblem(HttpStatusCode.Conflict));
        Assert.Equal(10, await _http.LengthAsync(name));
        Assert.Contains("index is required", (await RestoreAsync("", file)).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("invalid index name", (await RestoreAsync("index=..", file)).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("shards must be", (await RestoreAsync($"index={Http.NewName("x")}&shards=65", file)).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("sha256 must be", (await RestoreAsync($"index={Http.NewName("x")}&sha256=xyz", file)).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);

        string missing = Http.NewName("missing");
        (await _http.PostReplyAsync($"/vectors/index/{missing}/snapshots", null)).AssertProblem(HttpStatusCode.NotFound);
        var empty = (await _http.GetReplyAsync($"/vectors/index/{missing}/snapshots")).AssertJson(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("snapshots").EnumerateArray());
        (await _http.GetReplyAsync($"/vectors/index/{missing}/snapshots/{missing}-20261202T180000000Z-0123abcd.snapshot")).AssertProblem(HttpStatusCode.NotFound);
        foreach (string bad in new[] { "x.snapshot", $"{name}-20261202T180000000Z-0123ABCD.snapshot", $"{missing}-20261202T180000000Z-0123abcd.snapshot", "..%2F..%2Fgrains" })
        {
            Assert.Contains("invalid snapshot name", (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots/{bad}")).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
            Assert.Contains("invalid snapshot name", (await _http.DeleteReplyAsync($"/vectors/index/{name}/snapshots/{bad}")).AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_snapshot_route_is_in_the_openapi_document()
    {
        var paths = (await _http.GetReplyAsync("/openapi/v1.json")).AssertJson(HttpStatusCode.OK).GetProperty("paths");
        var snapshots = paths.GetProperty("/vectors/index/{name}/snapshots");
        Assert.True(snapshots.TryGetProperty("post", out _) && snapshots.TryGetProperty("get", out _));
        var one = paths.GetProperty("/vectors/index/{name}/snapshots/{snapshot}");
        Assert.True(one.TryGetProperty("get", out _) && one.TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/vectors/snapshots/restore").TryGetProperty("post", out _));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+-[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}\.snapshot$")]
    private static partial Regex SnapshotName();
}

/// <summary>A node that takes snapshot files of at most 1 MiB.</summary>
public sealed class SnapshotLimitTests
{
    [Fact]
    public async Task A_file_past_Snapshots_MaxUploadBytes_is_413_and_a_limit_below_1_MiB_stops_the_start()
    {
        using var data = new TempDirectory("vectord-gw");
        await using (var server = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Snapshots:MaxUploadBytes"] = "1048576" }))
        {
            foreach (bool announced in new[] { true, false })
            {
                using HttpContent content = announced
                    ? new ByteArrayContent(new byte[(1 << 20) + 1])
                    : new StreamContent(new MemoryStream(new byte[(1 << 20) + 1]));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                if (!announced)
                {
                    content.Headers.ContentLength = null;   // sent chunked: the limit is found while reading
                }
                using var response = await server.Client.PostAsync($"/vectors/snapshots/restore?index={Http.NewName("limit")}", content,
                    TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Contains("1 MiB", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
        }
        var e = await Assert.ThrowsAnyAsync<Exception>(() => VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Snapshots:MaxUploadBytes"] = "1000" }));
        Assert.Contains("Snapshots:MaxUploadBytes must be at least", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_past_Storage_MaxPartVectorBytes_is_507_naming_the_limit_and_creates_nothing()
    {
        using var source = new TempDirectory("vectord-gw");
        byte[] file;
        string name = Http.NewName("big");
        await using (var server = await VectordServer.StartAsync(source.Path))
        {
            (await server.Client.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":8}""")).AssertJson(HttpStatusCode.Created);
            var items = Enumerable.Range(0, 300).Select(i => new { id = $"it-{i}", vector = Enumerable.Range(0, 8).Select(d => (float)((i * 7) + d + 1)).ToArray() });
            (await server.Client.PostReplyAsync($"/vectors/index/{name}/add", JsonSerializer.Serialize(new { items }))).AssertJson(HttpStatusCode.OK);
            var snapshot = (await server.Client.PostReplyAsync($"/vectors/index/{name}/snapshots", null)).AssertJson(HttpStatusCode.Created);
            file = await server.Client.GetByteArrayAsync($"/vectors/index/{name}/snapshots/{snapshot.GetProperty("name").GetString()}", TestContext.Current.CancellationToken);
        }

        using var data = new TempDirectory("vectord-gw");
        await using var limited = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Storage:MaxPartVectorBytes"] = "4096" });
        foreach (int shards in new[] { 0, 2 })
        {
            string target = Http.NewName("limited");
            using var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await limited.Client.PostAsync($"/vectors/snapshots/restore?index={target}&shards={shards}", content, TestContext.Current.CancellationToken);
            string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.InsufficientStorage, body);
            Assert.Contains("an index part holds at most 128 vectors of dimension 8; the snapshot puts ", body, StringComparison.Ordinal);
            Assert.Contains(shards == 0 ? "puts 300 in one" : "puts 15", body, StringComparison.Ordinal);
            (await limited.Client.GetReplyAsync($"/vectors/index/{target}")).AssertProblem(HttpStatusCode.NotFound);
            Assert.DoesNotContain(target, await limited.Client.NamesAsync());
            Assert.False(Directory.Exists(Path.Combine(data.Path, "indexes", target)));
        }
        using var fits = new ByteArrayContent(file);
        fits.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var restored = await limited.Client.PostAsync($"/vectors/snapshots/restore?index={Http.NewName("fits")}&shards=3", fits, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, restored.StatusCode);
    }
}
