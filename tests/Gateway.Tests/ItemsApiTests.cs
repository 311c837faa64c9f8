using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

public sealed class ItemsApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Answers_carry_a_content_length_and_no_chunked_framing()
    {
        // Each answer leaves in one write with its headers; a chunked one needs a second write for its last chunk.
        string name = Http.NewName("framing");
        var ct = TestContext.Current.CancellationToken;
        async Task<HttpResponseMessage> Post(string path, string json) =>
            await _http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), ct);

        using var created = await Post("/vectors/index", $$"""{"name":"{{name}}","dimension":2}""");
        using var added = await Post($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0],"metadata":{"t":"é"}}]}""");
        using var searched = await Post($"/vectors/index/{name}/search", """{"vector":[1,0]}""");
        using var item = await _http.GetAsync($"/vectors/index/{name}/items/a", ct);
        foreach (var (response, status) in new[] { (created, HttpStatusCode.Created), (added, HttpStatusCode.OK), (searched, HttpStatusCode.OK), (item, HttpStatusCode.OK) })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            byte[] body = await response.Content.ReadAsByteArrayAsync(ct);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        }
        Assert.Equal($"/vectors/index/{name}", created.Headers.Location?.OriginalString);
        Assert.Equal("""{"results":[{"id":"a","distance":0,"metadata":{"t":"é"}}]}""", await searched.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Add_search_get_and_delete_items()
    {
        string name = Http.NewName("items");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        var added = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"origin","vector":[0,0]},
              {"id":"three-four","vector":[3,4],"metadata":{"tag":"far"}},
              {"id":"one","vector":[1,0],"metadata":"near"}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        Assert.Equal(3, added.GetProperty("added").GetInt32());
        Assert.Equal(3, added.GetProperty("length").GetInt32());

        var search = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0],"k":3}"""))
            .AssertJson(HttpStatusCode.OK);
        var results = search.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["origin", "one", "three-four"], results.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([0f, 1f, 5f], results.Select(r => r.GetProperty("distance").GetSingle()));
        Assert.False(results[0].TryGetProperty("metadata", out _));
        Assert.Equal("near", results[1].GetProperty("metadata").GetString());
        Assert.Equal("far", results[2].GetProperty("metadata").GetProperty("tag").GetString());

        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/three-four")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("three-four", item.GetProperty("id").GetString());
        Assert.Equal([3f, 4f], item.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal("far", item.GetProperty("metadata").GetProperty("tag").GetString());

        var origin = (await _http.GetReplyAsync($"/vectors/index/{name}/items/origin")).AssertJson(HttpStatusCode.OK);
        Assert.False(origin.TryGetProperty("metadata", out _));

        (await _http.GetReplyAsync($"/vectors/index/{name}/items/missing")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/origin")).Status);
        (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/origin")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/origin")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(2, await _http.LengthAsync(name));

        var after = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0]}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString());
        Assert.Equal(["one", "three-four"], after);
    }

    [Fact]
    public async Task Distances_follow_the_contract_for_cosine_and_dot()
    {
        string cosine = Http.NewName("cos");
        await _http.CreateIndexAsync(cosine, 2, "cosine");
        await AddAsync(cosine, """{"items":[{"id":"same","vector":[2,0]},{"id":"ortho","vector":[0,5]},{"id":"opposite","vector":[-1,0]}]}""");
        var hits = await SearchAsync(cosine, """{"vector":[1,0],"k":3}""");
        Assert.Equal(["same", "ortho", "opposite"], hits.Select(h => h.Id));
        Assert.Equal(0, hits[0].Distance, 1e-5);
        Assert.Equal(1, hits[1].Distance, 1e-5);
        Assert.Equal(2, hits[2].Distance, 1e-5);

        string dot = Http.NewName("dot");
        await _http.CreateIndexAsync(dot, 2, "dot");
        await AddAsync(dot, """{"items":[{"id":"big","vector":[3,0]},{"id":"small","vector":[1,0]},{"id":"zero","vector":[0,0]}]}""");
        var dotHits = await SearchAsync(dot, """{"vector":[2,0],"k":2}""");
        Assert.Equal(["big", "small"], dotHits.Select(h => h.Id));
        Assert.Equal(-6, dotHits[0].Distance, 1e-5);
        Assert.Equal(-2, dotHits[1].Distance, 1e-5);
    }

    [Fact]
    public async Task K_defaults_to_10_and_is_capped_and_empty_index_gives_no_results()
    {
        string name = Http.NewName("k");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        Assert.Empty(await SearchAsync(name, """{"vector":[1]}"""));

        string items = string.Join(',', Enumerable.Range(0, 25).Select(i => $$"""{"id":"i{{i}}","vector":[{{i}}]}"""));
        await AddAsync(name, $$"""{"items":[{{items}}]}""");
        Assert.Equal(10, (await SearchAsync(name, """{"vector":[0]}""")).Length);
        Assert.Equal(10, (await SearchAsync(name, """{"vector":[0],"k":0}""")).Length);
        Assert.Equal(10, (await SearchAsync(name, """{"vector":[0],"k":-5}""")).Length);
        Assert.Equal(25, (await SearchAsync(name, """{"vector":[0],"k":2147483647}""")).Length);
        Assert.Equal(3, (await SearchAsync(name, """{"vector":[0],"k":3,"ef":1}""")).Length);
        var ordered = await SearchAsync(name, """{"vector":[0],"k":1000000,"ef":500}""");
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"i{i}"), ordered.Select(h => h.Id));
    }

    [Fact]
    public async Task Upsert_replaces_and_last_duplicate_in_a_batch_wins()
    {
        string name = Http.NewName("upsert");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        await AddAsync(name, """{"items":[{"id":"a","vector":[1,1],"metadata":1}]}""");
        var reply = await AddAsync(name, """{"items":[{"id":"a","vector":[2,2],"metadata":2},{"id":"a","vector":[3,3]}]}""");
        Assert.Equal(1, reply.GetProperty("length").GetInt32());
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/a")).AssertJson(HttpStatusCode.OK);
        Assert.Equal([3f, 3f], item.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()));
        Assert.False(item.TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Metadata_round_trips_byte_for_byte()
    {
        string name = Http.NewName("meta");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        string[] metadata =
        [
            """{ "z" : 1, "a":[1.50, 2e3, -0.0, 1E+2], "s":"caf\u00e9 \"q\" \ud83d\ude00", "n":null }""",
            """[ 1 , "two" , { } , [ ] ]""",
            "\"just a string\"",
            "12345678901234567890.0000",
            "null",
            "true",
        ];
        string items = string.Join(',', metadata.Select((m, i) => $$"""{"id":"m{{i}}","vector":[{{i}}],"metadata":{{m}}}"""));
        await AddAsync(name, $$"""{"items":[{{items}},{"id":"none","vector":[100]}]}""");

        for (int i = 0; i < metadata.Length; i++)
        {
            var reply = await _http.GetReplyAsync($"/vectors/index/{name}/items/m{i}");
            reply.AssertJson(HttpStatusCode.OK);
            Assert.Contains($"\"metadata\":{metadata[i]}", reply.Body, StringComparison.Ordinal);

            var search = await _http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":[{{i}}],"k":1}""");
            search.AssertJson(HttpStatusCode.OK);
            Assert.Contains($"\"metadata\":{metadata[i]}", search.Body, StringComparison.Ordinal);
        }
        var none = await _http.GetReplyAsync($"/vectors/index/{name}/items/none");
        Assert.DoesNotContain("metadata", none.Body, StringComparison.Ordinal);
        var nullItem = (await _http.GetReplyAsync($"/vectors/index/{name}/items/m4")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, nullItem.GetProperty("metadata").ValueKind);
    }

    [Fact]
    public async Task Metadata_whose_bytes_are_not_utf8_is_a_400_and_the_batch_adds_nothing()
    {
        string name = Http.NewName("meta");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        byte[] body = [.. """{"items":[{"id":"a","vector":[1]},{"id":"b","vector":[2],"metadata":{"s":"caf"""u8, 0xC3, 0x28, .. "\"}}]}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync($"/vectors/index/{name}/add", content, TestContext.Current.CancellationToken);
        var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
        Assert.Contains("UTF-8", reply.AssertProblem(HttpStatusCode.BadRequest), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task Ids_with_slashes_and_spaces_are_addressable()
    {
        string name = Http.NewName("ids");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        await AddAsync(name, """{"items":[{"id":"doc/7 part","vector":[1]}]}""");
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/doc/7%20part")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("doc/7 part", item.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/doc/7%20part")).Status);
        Assert.Equal(0, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task Batch_delete_counts_existing_ids_only()
    {
        string name = Http.NewName("del");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        await AddAsync(name, """{"items":[{"id":"a","vector":[1]},{"id":"b","vector":[2]},{"id":"c","vector":[3]}]}""");
        var reply = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":["a","c","zz","a"]}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, reply.GetProperty("deleted").GetInt32());
        Assert.Equal(1, reply.GetProperty("length").GetInt32());
        Assert.Equal(["b"], (await SearchAsync(name, """{"vector":[1]}""")).Select(h => h.Id));

        (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":[]}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":["b",null]}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":"b"}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(1, await _http.LengthAsync(name));
        (await _http.PostReplyAsync($"/vectors/index/{Http.NewName("nope")}/delete", """{"ids":["a"]}"""))
            .AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Item_listing_pages_in_id_order()
    {
        string name = Http.NewName("list");
        await _http.CreateIndexAsync(name, 1, "euclidean");
        await AddAsync(name, """{"items":[{"id":"c","vector":[3]},{"id":"a","vector":[1],"metadata":{"x":1}},{"id":"b","vector":[2]}]}""");
        var first = (await _http.GetReplyAsync($"/vectors/index/{name}/items?limit=2&vectors=true")).AssertJson(HttpStatusCode.OK);
        var items = first.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["a", "b"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(1f, items[0].GetProperty("vector")[0].GetSingle());
        Assert.Equal(1, items[0].GetProperty("metadata").GetProperty("x").GetInt32());
        string next = first.GetProperty("next").GetString()!;
        var second = (await _http.GetReplyAsync($"/vectors/index/{name}/items?limit=2&after={next}")).AssertJson(HttpStatusCode.OK);
        var rest = second.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["c"], rest.Select(i => i.GetProperty("id").GetString()));
        Assert.False(rest[0].TryGetProperty("vector", out _));
        Assert.False(second.TryGetProperty("next", out _));
        (await _http.GetReplyAsync($"/vectors/index/{name}/items?limit=abc")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_index_is_404_on_every_item_route()
    {
        string name = Http.NewName("ghost");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1]}]}""")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1]}""")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/a")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/a")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items")).AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, await _http.NamesAsync());
    }

    private async Task<JsonElement> AddAsync(string name, string body) =>
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", body)).AssertJson(HttpStatusCode.OK);

    private async Task<(string Id, float Distance)[]> SearchAsync(string name, string body)
    {
        var json = (await _http.PostReplyAsync($"/vectors/index/{name}/search", body)).AssertJson(HttpStatusCode.OK);
        return [.. json.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("distance").GetSingle()))];
    }
}
