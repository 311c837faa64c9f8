using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

public sealed class IndexesApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Create_get_list_delete_round_trip()
    {
        string name = Http.NewName("life");
        var reply = await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":4}""");
        var created = reply.AssertJson(HttpStatusCode.Created);
        var p = created.GetProperty("params");
        Assert.Equal(name, p.GetProperty("name").GetString());
        Assert.Equal(4, p.GetProperty("dimension").GetInt32());
        Assert.Equal(16, p.GetProperty("m").GetInt32());
        Assert.True(p.GetProperty("ef_search").GetInt32() > 0);
        Assert.Equal("cosine", p.GetProperty("distance").GetString());
        Assert.Equal("none", p.GetProperty("quantization").GetString());
        Assert.False(p.GetProperty("on_disk").GetBoolean());
        Assert.Equal(0, created.GetProperty("length").GetInt32());

        var got = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), got.GetRawText());

        var list = (await _http.GetReplyAsync("/vectors/index")).AssertJson(HttpStatusCode.OK);
        string[] names = [.. list.GetProperty("names").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Contains(name, names);
        Assert.Equal(names.Length, list.GetProperty("count").GetInt32());
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        var deleted = await _http.DeleteReplyAsync($"/vectors/index/{name}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("", deleted.Body);

        (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.DeleteReplyAsync($"/vectors/index/{name}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, await _http.NamesAsync());
    }

    [Fact]
    public async Task Create_keeps_explicit_parameters_and_each_distance()
    {
        foreach (string distance in (string[])["cosine", "euclidean", "dot"])
        {
            string name = Http.NewName(distance);
            var reply = await _http.PostReplyAsync("/vectors/index",
                $$"""{"name":"{{name}}","dimension":3,"m":8,"ef_search":77,"distance":"{{distance}}"}""");
            var p = reply.AssertJson(HttpStatusCode.Created).GetProperty("params");
            Assert.Equal(8, p.GetProperty("m").GetInt32());
            Assert.Equal(77, p.GetProperty("ef_search").GetInt32());
            Assert.Equal(distance, p.GetProperty("distance").GetString());
            Assert.Equal($"/vectors/index/{name}", reply.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Int8_quantization_is_echoed_in_params_and_searches_answer_exact_distances()
    {
        string name = Http.NewName("int8");
        var p = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"distance":"euclidean","quantization":"INT8"}"""))
            .AssertJson(HttpStatusCode.Created).GetProperty("params");
        Assert.Equal("int8", p.GetProperty("quantization").GetString());
        // 300 items: enough for the quantizer to be trained.
        var items = string.Join(",", Enumerable.Range(0, 300).Select(i => $$"""{"id":"i{{i}}","vector":[{{i}},{{300 - i}}]}"""));
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{items}}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("int8", (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK)
            .GetProperty("params").GetProperty("quantization").GetString());
        var hits = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[7.25,293],"k":2}""")).AssertJson(HttpStatusCode.OK)
            .GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["i7", "i8"], hits.Select(h => h.GetProperty("id").GetString()));
        Assert.Equal([0.25, 1.25], hits.Select(h => h.GetProperty("distance").GetDouble()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task On_disk_is_echoed_in_params_as_created(bool onDisk)
    {
        string name = Http.NewName("ondisk");
        string value = onDisk ? "true" : "false";
        var p = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"on_disk":{{value}}}"""))
            .AssertJson(HttpStatusCode.Created).GetProperty("params");
        Assert.Equal(onDisk, p.GetProperty("on_disk").GetBoolean());
        Assert.Equal(onDisk, (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK)
            .GetProperty("params").GetProperty("on_disk").GetBoolean());
    }

    [Fact]
    public async Task A_sharded_index_echoes_its_shards_and_lists_where_they_live()
    {
        string name = Http.NewName("shards");
        var p = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"distance":"euclidean","shards":3}"""))
            .AssertJson(HttpStatusCode.Created).GetProperty("params");
        Assert.Equal(3, p.GetProperty("shards").GetInt32());
        var items = string.Join(",", Enumerable.Range(0, 60).Select(i => $$"""{"id":"i{{i}}","vector":[{{i}},1]}"""));
        var added = (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{items}}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(60, added.GetProperty("length").GetInt32());

        var shards = (await _http.GetReplyAsync($"/vectors/index/{name}/shards")).AssertJson(HttpStatusCode.OK).GetProperty("shards");
        Assert.Equal([0, 1, 2], shards.EnumerateArray().Select(s => s.GetProperty("shard").GetInt32()));
        Assert.Equal(60, shards.EnumerateArray().Sum(s => s.GetProperty("length").GetInt32()));
        Assert.All(shards.EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("silo").GetString())));

        var hits = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[7,1],"k":3}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["i7", "i6", "i8"], hits.GetProperty("results").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_unsharded_index_has_one_shard()
    {
        string name = Http.NewName("one");
        var p = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2}""")).AssertJson(HttpStatusCode.Created).GetProperty("params");
        Assert.Equal(1, p.GetProperty("shards").GetInt32());
        var shard = Assert.Single((await _http.GetReplyAsync($"/vectors/index/{name}/shards")).AssertJson(HttpStatusCode.OK).GetProperty("shards").EnumerateArray());
        Assert.Equal(0, shard.GetProperty("length").GetInt32());
        (await _http.GetReplyAsync($"/vectors/index/{Http.NewName("absent")}/shards")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("65")]
    [InlineData("-2")]
    public async Task Shards_out_of_range_are_400(string shards)
    {
        string name = Http.NewName("badshards");
        string detail = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"shards":{{shards}}}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("shards must be 0 (default) or between 1 and 64", detail);
        (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_twice_is_409_and_keeps_the_first()
    {
        string name = Http.NewName("dup");
        await _http.CreateIndexAsync(name, 3);
        var reply = await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":5}""");
        reply.AssertProblem(HttpStatusCode.Conflict);
        var info = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(3, info.GetProperty("params").GetProperty("dimension").GetInt32());
    }

    [Fact]
    public async Task Longest_valid_name_is_accepted()
    {
        string name = "n" + new string('x', 127 - 32) + Guid.NewGuid().ToString("N");
        Assert.Equal(128, name.Length);
        await _http.CreateIndexAsync(name, 2);
        Assert.Equal(0, await _http.LengthAsync(name));
    }

    public static TheoryData<string, string> BadCreateBodies() => new()
    {
        // body, a word the detail must contain
        { """{"name":"","dimension":3}""", "name" },
        { """{"name":" ","dimension":3}""", "name" },
        { """{"name":"\t\n","dimension":3}""", "name" },
        { """{"name":"..","dimension":3}""", "name" },
        { """{"name":"a/b","dimension":3}""", "name" },
        { """{"name":"../escape","dimension":3}""", "name" },
        { """{"name":"has space","dimension":3}""", "name" },
        { """{"name":"ctl\u0001x","dimension":3}""", "name" },
        { """{"name":"a%2Fb","dimension":3}""", "name" },
        { """{"name":"-lead","dimension":3}""", "name" },
        { """{"name":".hidden","dimension":3}""", "name" },
        { $$"""{"name":"{{new string('a', 129)}}","dimension":3}""", "name" },
        { """{"dimension":3}""", "name" },
        { """{"name":"ok-name-missing-dim"}""", "dimension" },
        { """{"name":"ok-dim0","dimension":0}""", "dimension" },
        { """{"name":"ok-dimbig","dimension":65537}""", "dimension" },
        { """{"name":"ok-dimneg","dimension":-1}""", "dimension" },
        { """{"name":"ok-vec-both","dimension":3,"vectors":{}}""", "dimension and vectors are exclusive" },
        { """{"name":"ok-vec-array","vectors":[]}""", "JSON" },
        { """{"name":"ok-vec-int8","vectors":{},"quantization":"int8"}""", "an index without vectors has no vectors to quantize" },
        { """{"name":"ok-vec-disk","vectors":{},"on_disk":true}""", "an index without vectors has no vectors to quantize or keep on disk" },
        { """{"name":"ok-dimstr","dimension":"3"}""", "JSON" },
        { """{"name":"ok-dimfrac","dimension":1.5}""", "JSON" },
        { """{"name":"ok-dimhuge","dimension":1e999}""", "JSON" },
        { """{"name":"ok-m1","dimension":3,"m":1}""", "m" },
        { """{"name":"ok-m129","dimension":3,"m":129}""", "m" },
        { """{"name":"ok-ef","dimension":3,"ef_search":10001}""", "ef_search" },
        { """{"name":"ok-efneg","dimension":3,"ef_search":-1}""", "ef_search" },
        { """{"name":"ok-dist","dimension":3,"distance":"manhattan"}""", "unknown distance" },
        { """{"name":"ok-dist-type","dimension":3,"distance":7}""", "JSON" },
        { """{"name":"ok-quant","dimension":3,"quantization":"int4"}""", "quantization: unknown value \"int4\"" },
        { """{"name":"ok-quant-type","dimension":3,"quantization":8}""", "JSON" },
        { """{"name":"ok-ondisk-str","dimension":3,"on_disk":"true"}""", "on_disk" },
        { """{"name":"ok-ondisk-num","dimension":3,"on_disk":1}""", "on_disk" },
        { """{"name":7,"dimension":3}""", "JSON" },
        { """{"name":"ok-trunc","dimension":3""", "JSON" },
        { """[{"name":"ok-array","dimension":3}]""", "JSON" },
        { "null", "null" },
        { "", "required" },
        { "not json", "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadCreateBodies))]
    public async Task Bad_create_bodies_are_400_and_create_nothing(string body, string expected)
    {
        var reply = await _http.PostReplyAsync("/vectors/index", body);
        string detail = reply.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.OrdinalIgnoreCase);
        // Nothing was created: no name of this corpus, and no invalid name at all, is listed.
        string[] after = await _http.NamesAsync();
        Assert.DoesNotContain(after, n => n.StartsWith("ok-", StringComparison.Ordinal));
        Assert.All(after, n => Assert.Matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", n));
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        string deep = new string('[', 5000) + new string(']', 5000);
        var reply = await _http.PostReplyAsync("/vectors/index", $$"""{"name":"ok-deep","dimension":3,"extra":{{deep}}}""");
        reply.AssertProblem(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("ok-deep", await _http.NamesAsync());
    }

    public static TheoryData<string> BadNamesInPath() =>
    [
        "has%20space", "%20", "%09", "a%2Fb", "ctl%01x", "%2E%2E%2Fx", new string('b', 129), "-lead",
    ];

    [Theory]
    [MemberData(nameof(BadNamesInPath))]
    public async Task Bad_names_in_paths_are_400(string encodedName)
    {
        (await _http.GetReplyAsync($"/vectors/index/{encodedName}")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.DeleteReplyAsync($"/vectors/index/{encodedName}")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{encodedName}/add", """{"items":[{"id":"a","vector":[1]}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_route_and_wrong_method_are_problem_details()
    {
        var notFound = await _http.GetReplyAsync("/vectors/nothing-here");
        notFound.AssertProblem(HttpStatusCode.NotFound);
        var wrongMethod = await _http.SendAsync(HttpMethod.Put, "/vectors/index");
        wrongMethod.AssertProblem(HttpStatusCode.MethodNotAllowed);
    }
}
