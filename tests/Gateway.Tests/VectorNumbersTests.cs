using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The numeric edges of vectors over HTTP: tiny cosine vectors are proper unit vectors, norms past the bound
/// are a 400 naming the item, stored items an earlier rule let in are quarantined at load (reported, deletable)
/// instead of darkening their index, and no component of any kind makes a vector route answer 5xx.</summary>
public sealed class VectorNumbersTests(NodeFixture node)
{
    private static readonly string[] Distances = ["cosine", "euclidean", "dot"];

    [Theory]
    [InlineData("cosine")]
    [InlineData("euclidean")]
    [InlineData("dot")]
    public async Task Huge_norms_are_refused_naming_the_item_and_tiny_vectors_are_served(string distance)
    {
        var http = node.Http;
        string name = Http.NewName("numbers");
        await http.CreateIndexAsync(name, 4, distance);
        string detail = (await http.PostReplyAsync($"/vectors/index/{name}/add",
            """{"items":[{"id":"ok","vector":[1,2,3,4]},{"id":"huge","vector":[3e38,0,0,0]}]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[1]: norm 3E+38 is beyond 1e18", detail);
        detail = (await http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"over","vector":[1e39,0,0,0]}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("not a finite number", detail, StringComparison.Ordinal);
        Assert.Equal(0, await http.LengthAsync(name));

        (await http.PostReplyAsync($"/vectors/index/{name}/add",
            """{"items":[{"id":"tiny","vector":[1e-45,1e-45,0,0]},{"id":"big","vector":[7e17,-7e17,0,0]},{"id":"c","vector":[0,0,1,0]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        var tiny = (await http.GetReplyAsync($"/vectors/index/{name}/items/tiny")).AssertJson(HttpStatusCode.OK);
        float first = tiny.GetProperty("vector")[0].GetSingle();
        Assert.Equal(distance == "cosine" ? MathF.Sqrt(0.5f) : 1e-45f, first, 1e-6f);
        foreach (string query in new[] { "[1e-45,1e-45,0,0]", "[7e17,-7e17,0,0]", "[-7e17,7e17,0,0]" })
        {
            var results = (await http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":{{query}},"k":3}"""))
                .AssertJson(HttpStatusCode.OK).GetProperty("results");
            Assert.Equal(3, results.GetArrayLength());
        }
        detail = (await http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,-2e18,0,0]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("vector: norm 2E+18 is beyond 1e18", detail);
        detail = (await http.PostReplyAsync($"/vectors/index/{name}/search/batch", """{"searches":[{"vector":[1,0,0,0]},{"vector":[0,-2e18,0,0]}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("searches[1]: vector: norm 2E+18 is beyond 1e18", detail);
    }

    [Fact]
    public async Task Items_an_older_node_logged_with_vectors_now_refused_are_quarantined_not_the_index()
    {
        using var data = new TempDirectory("vectord-gw");
        string name = Http.NewName("quarantine");
        var keepLog = new Dictionary<string, string?> { ["Storage:SnapshotOnDeactivate"] = "false" };
        await using (var first = await VectordServer.StartAsync(data.Path, keepLog))
        {
            await first.Client.CreateIndexAsync(name, 4, "euclidean");
            string items = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"id":"g{{i}}","vector":[{{i}},1,2,3]}"""));
            (await first.Client.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{items}}]}""")).AssertJson(HttpStatusCode.OK);
        }

        // The next log record as a node without the norm bound wrote it: a huge item, a good one and a NaN one.
        string wal = Directory.EnumerateDirectories(Path.Combine(data.Path, "indexes", name)).Single();
        wal = Path.Combine(wal, "wal");
        long seq = Directory.EnumerateFiles(wal).Select(f => long.Parse(Path.GetFileName(f), CultureInfo.InvariantCulture)).Max() + 1;
        await File.WriteAllBytesAsync(Path.Combine(wal, seq.ToString("D12", CultureInfo.InvariantCulture)),
            AddRecord(seq, ("huge", [3e38f, 0, 0, 0]), ("g50", [50, 1, 2, 3]), ("nan", [float.NaN, 0, 0, 0])), TestContext.Current.CancellationToken);

        await using (var second = await VectordServer.StartAsync(data.Path))
        {
            var http = second.Client;
            var info = (await http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
            Assert.Equal(51, info.GetProperty("length").GetInt32());
            Assert.Equal(2, info.GetProperty("quarantined").GetInt32());
            var results = (await http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0,0,0],"k":100}"""))
                .AssertJson(HttpStatusCode.OK).GetProperty("results");
            Assert.Equal(51, results.GetArrayLength());
            (await http.GetReplyAsync($"/vectors/index/{name}/items/huge")).AssertProblem(HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteReplyAsync($"/vectors/index/{name}/items/huge")).Status);
            Assert.Equal(1, (await http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK).GetProperty("quarantined").GetInt32());
        }

        // Snapshot at the graceful stop: the quarantine is in it and holds at the next load.
        await using var third = await VectordServer.StartAsync(data.Path);
        var after = (await third.Client.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal((51, 1), (after.GetProperty("length").GetInt32(), after.GetProperty("quarantined").GetInt32()));
        (await third.Client.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"nan","vector":[9,9,9,9]}]}""")).AssertJson(HttpStatusCode.OK);
        after = (await third.Client.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal((52, 0), (after.GetProperty("length").GetInt32(), after.GetProperty("quarantined").GetInt32()));
    }

    /// <summary>Random finite, subnormal, huge, NaN and infinite components on every route that takes a vector, on
    /// all three distances with and without int8, then a restart: no 5xx at any point, every index loads and answers.</summary>
    [Fact]
    public async Task Fuzzed_components_never_give_a_5xx_and_every_index_loads_after_a_restart()
    {
        const int Dim = 6;
        using var data = new TempDirectory("vectord-gw");
        var random = new Random(2026);
        var names = new List<string>();
        var problems = new List<string>();
        await using (var first = await VectordServer.StartAsync(data.Path))
        {
            var http = first.Client;
            foreach (string distance in Distances)
            {
                foreach (string quantization in new[] { "none", "int8" })
                {
                    string name = Http.NewName($"fuzz-{distance}-{quantization}");
                    names.Add(name);
                    (await http.PostReplyAsync("/vectors/index",
                        $$"""{"name":"{{name}}","dimension":{{Dim}},"distance":"{{distance}}","quantization":"{{quantization}}"}"""))
                        .AssertJson(HttpStatusCode.Created);
                    // Enough ordinary items for int8 to train, so the fuzzed ones meet the codes too.
                    string items = string.Join(",", Enumerable.Range(0, 300).Select(i => $$"""{"id":"base{{i}}","vector":{{Vector(random, Dim, ordinary: true)}}}"""));
                    (await http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{items}}]}""")).AssertJson(HttpStatusCode.OK);
                    for (int round = 0; round < 40; round++)
                    {
                        (string path, string body) = (round % 3) switch
                        {
                            0 => ("add", $$"""{"items":[{"id":"f{{round}}","vector":{{Vector(random, Dim)}}},{"id":"g{{round}}","vector":{{Vector(random, Dim)}}}]}"""),
                            1 => ("search", $$"""{"vector":{{Vector(random, Dim)}},"k":50}"""),
                            _ => ("search/batch", $$"""{"searches":[{"vector":{{Vector(random, Dim)}},"k":20},{"vector":{{Vector(random, Dim)}}}]}"""),
                        };
                        var reply = await http.PostReplyAsync($"/vectors/index/{name}/{path}", body);
                        if ((int)reply.Status >= 500 || reply.Status is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
                        {
                            problems.Add($"{name}/{path} {body} → {(int)reply.Status} {reply.Body}");
                        }
                    }
                    var listing = await http.GetReplyAsync($"/vectors/index/{name}/items?limit=1000");
                    if (listing.Status != HttpStatusCode.OK) { problems.Add($"{name} listing → {(int)listing.Status} {listing.Body}"); }
                }
            }
        }
        Assert.Empty(problems);

        await using var second = await VectordServer.StartAsync(data.Path);
        foreach (string name in names)
        {
            var info = (await second.Client.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
            Assert.True(info.GetProperty("length").GetInt32() >= 300);
            Assert.Equal(0, info.GetProperty("quarantined").GetInt32());
            var results = (await second.Client.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":{{Vector(random, Dim, ordinary: true)}},"k":100}"""))
                .AssertJson(HttpStatusCode.OK).GetProperty("results");
            Assert.Equal(100, results.GetArrayLength());
        }
    }

    /// <summary>A JSON array of components: ordinary ones, or a mix of every kind (as JSON text, NaN and infinity
    /// spelled as the literals a client might send).</summary>
    private static string Vector(Random random, int dim, bool ordinary = false)
    {
        string[] kinds = ["0.25", "-1.5", "3", "1e-45", "-1.4e-45", "2e-40", "1e-38", "3e38", "-3.4e38", "1e18", "-9e17", "1e20", "1e39",
            "-1e400", "NaN", "Infinity", "\"NaN\"", "0"];
        var parts = new string[dim];
        for (int i = 0; i < dim; i++)
        {
            parts[i] = ordinary || random.Next(3) == 0
                ? (random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture)
                : kinds[random.Next(kinds.Length)];
        }
        return "[" + string.Join(",", parts) + "]";
    }

    /// <summary>A log record of an add, in the storage format (magic, version 1, kind 1, sequence, count, items, CRC-32).</summary>
    private static byte[] AddRecord(long seq, params (string Id, float[] Vector)[] items)
    {
        var bytes = new List<byte>();
        var word = new byte[8];
        void Int(int value) { BinaryPrimitives.WriteInt32LittleEndian(word, value); bytes.AddRange(word.AsSpan(0, 4).ToArray()); }
        bytes.AddRange("VWAL"u8.ToArray());
        bytes.AddRange([1, 1, 0, 0]);
        BinaryPrimitives.WriteInt64LittleEndian(word, seq);
        bytes.AddRange(word);
        Int(items.Length);
        foreach ((string id, float[] vector) in items)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(id);
            Int(utf8.Length);
            bytes.AddRange(utf8);
            Int(vector.Length);
            bytes.AddRange(MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
            Int(-1);
        }
        Int((int)Crc32.HashToUInt32(bytes.ToArray()));
        return [.. bytes];
    }
}
