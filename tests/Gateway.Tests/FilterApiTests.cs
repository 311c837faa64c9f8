using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Filters over HTTP: <c>search</c> (both body readers), <c>search/batch</c>, <c>items/query</c>, <c>count</c>
/// and <c>delete</c> by filter.</summary>
public sealed class FilterApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private const string NotRed = """{"must_not":[{"key":"color","match":{"value":"red"}}]}""";

    /// <summary>Five items on a line (euclidean): a at 0 … e at 4; e has no metadata.</summary>
    private async Task<string> SeededAsync()
    {
        string name = Http.NewName("filters");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","vector":[0,0],"metadata":{"color":"red","n":1}},
              {"id":"b","vector":[1,0],"metadata":{"color":"blue","n":2.0}},
              {"id":"c","vector":[2,0],"metadata":{"color":"red","n":3,"tags":["x","y"]}},
              {"id":"d","vector":[3,0],"metadata":{"color":"green","n":4}},
              {"id":"e","vector":[4,0]}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        return name;
    }

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        // route, body, detail
        { "search", """{"vector":[0,0],"filter":{"must":[{"key":"n","range":{}}]}}""", "filter.must[0].range: at least one bound is required" },
        { "search", """{"vector":[1.2345678901234567e-20,0],"filter":{"must":[{},{"key":"n","range":{}}]}}""", "filter.must[1].range: at least one bound is required" },
        { "search", """{"vector":[0,0],"filter":{"must":[{"key":"n","match":{"value":1.5}}]}}""", "filter.must[0].match.value: must be a string, an integer or a boolean" },
        { "search", """{"vector":[0,0],"filter":[]}""", "filter: must be an object" },
        { "search", """{"vector":[0,0],"filter":{"should":[{"key":"n","match":{"value":1}},{"nope":1}]}}""",
            "filter.should[1]: unknown condition (expected a nested filter, key with match or range, is_null, is_empty or has_id)" },
        { "search/batch", """{"searches":[{"vector":[0,0]},{"vector":[0,0],"filter":{"must":[{"key":"n","range":{"gt":"1"}}]}}]}""",
            "searches[1].filter.must[0].range.gt: must be a number, or an RFC 3339 date-time such as 2026-01-31T09:30:00Z" },
        { "search", """{"vector":[0,0],"filter":{"must":[{"key":"at","range":{"gte":"2026-01-01T00:00:00Z","lt":5}}]}}""",
            "filter.must[0].range.lt: must be a date-time string, as the other bounds of this range are" },
        { "count", """{"filter":{"must":[{"key":"at","range":{"gte":"2026-01-01"}}]}}""",
            "filter.must[0].range.gte: must be a number, or an RFC 3339 date-time such as 2026-01-31T09:30:00Z" },
        { "search/batch", """{"searches":[]}""", "searches must be non-empty" },
        { "search/batch", """{}""", "searches must be non-empty" },
        { "search/batch", """{"searches":[{"vector":[0,0]},null]}""", "searches[1]: must be an object" },
        { "search/batch", """{"searches":[{"vector":[0,0]},{"k":1}]}""", "searches[1]: vector is required" },
        { "items/query", """{"filter":{"must":[{"has_id":["a",1]}]}}""", "filter.must[0].has_id[1]: must be a string" },
        { "items/query", """{"filter":{"must":[{"key":"a","match":{"like":"x"}}]}}""", "filter.must[0].match: unknown operator \"like\" (expected value, any, except or text)" },
        { "count", """{"filter":{"must":[{"key":"a","match":{"any":[1,{}]}}]}}""", "filter.must[0].match.any[1]: must be a string, an integer or a boolean" },
        { "count", """{"filter":"color=red"}""", "filter: must be an object" },
        { "delete", """{"ids":["a"],"filter":{}}""", "give either ids or filter, not both" },
        { "delete", """{}""", "ids or filter is required (exactly one of them)" },
        { "delete", """{"filter":null}""", "ids or filter is required (exactly one of them)" },
        { "delete", """{"filter":{"must":[{"is_null":{"key":""}}]}}""", "filter.must[0].is_null.key: must be a non-empty path" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_filter_or_body_is_400_naming_it_and_changes_nothing(string route, string body, string detail)
    {
        string name = await SeededAsync();
        Assert.Equal(detail, (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertProblem(HttpStatusCode.BadRequest));
        Assert.Equal(5, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task More_than_1024_searches_are_400()
    {
        string name = await SeededAsync();
        string searches = string.Join(",", Enumerable.Repeat("""{"vector":[0,0]}""", 1025));
        Assert.Equal("searches: more than 1024 in one call (split the batch)",
            (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", $$"""{"searches":[{{searches}}]}""")).AssertProblem(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("count")]
    [InlineData("items/query")]
    public async Task An_empty_body_is_400_as_on_every_other_route(string route)
    {
        string name = await SeededAsync();
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", "")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("request body is required", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search", """{"vector":[0,0],"filter":{}}""")]
    [InlineData("search/batch", """{"searches":[{"vector":[0,0],"filter":{}}]}""")]
    [InlineData("items/query", """{"filter":{}}""")]
    [InlineData("count", """{}""")]
    [InlineData("delete", """{"filter":{"must":[{"has_id":["a"]}]}}""")]
    public async Task An_unknown_index_is_404(string route, string body)
    {
        string name = Http.NewName("nope");
        (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, await _http.NamesAsync());
    }

    [Theory]
    [InlineData("count")]
    [InlineData("items/query")]
    public async Task A_count_or_query_body_over_the_search_cap_is_413(string route)
    {
        string name = await SeededAsync();
        string padding = new(' ', 4 * 1024 * 1024);
        // As for search: the 413 comes from the declared length; "Expect: 100-continue" keeps the client from
        // writing into a connection the server closes.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/vectors/index/{name}/{route}")
        {
            Content = new StringContent($$"""{"filter":{},{{padding}}"x":0}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
        Assert.Equal("request body is larger than the 4 MiB limit", reply.AssertProblem(HttpStatusCode.RequestEntityTooLarge));
    }

    // ---------------------------------------------------------------- with the grain's filtering

    [Fact]
    public async Task A_filtered_search_returns_the_nearest_among_the_matching_items_on_either_body_reader()
    {
        string name = await SeededAsync();
        // Integer components: the fast reader answers this body; its filter must not be dropped.
        var fast = (await _http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":[0,0],"k":2,"filter":{{NotRed}}}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("results");
        Assert.Equal(["b", "d"], Ids(fast));
        Assert.Equal(1f, fast[0].GetProperty("distance").GetSingle());
        Assert.Equal("blue", fast[0].GetProperty("metadata").GetProperty("color").GetString());
        // Seventeen significant digits: left to the serializer, which must read the filter the same.
        var slow = (await _http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"filter":{{NotRed}},"vector":[1.2345678901234567e-20,0],"k":2}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("results");
        Assert.Equal(["b", "d"], Ids(slow));
        // Without a filter (or with null) the nearest is a.
        var all = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0],"k":2,"filter":null}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["a", "b"], Ids(all.GetProperty("results")));
        // Numbers compare by value: n 2.0 matches 2.
        var two = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[4,0],"filter":{"must":[{"key":"n","match":{"value":2}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(["b"], Ids(two.GetProperty("results")));
    }

    [Fact]
    public async Task A_range_of_date_time_strings_compares_instants_whatever_their_offsets()
    {
        string name = Http.NewName("dates");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","vector":[0,1],"metadata":{"at":"2026-01-01T10:00:00Z"}},
              {"id":"b","vector":[1,1],"metadata":{"at":"2026-01-01T12:30:00+02:00"}},
              {"id":"c","vector":[2,1],"metadata":{"at":"2026-01-02T00:00:00Z"}},
              {"id":"d","vector":[3,1],"metadata":{"at":"yesterday"}},
              {"id":"e","vector":[4,1],"metadata":{"at":1767261600}}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        var counted = (await _http.PostReplyAsync($"/vectors/index/{name}/count",
            """{"filter":{"must":[{"key":"at","range":{"gt":"2026-01-01T11:00:00+01:00","lte":"2026-01-02T00:00:00Z"}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, counted.GetProperty("count").GetInt32());
        var found = (await _http.PostReplyAsync($"/vectors/index/{name}/search",
            """{"vector":[0,1],"k":5,"filter":{"must":[{"key":"at","range":{"lt":"2026-01-01T10:30:00Z"}}]}}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("results");
        Assert.Equal(["a"], Ids(found));
    }

    [Fact]
    public async Task A_batch_answers_each_search_in_order()
    {
        string name = await SeededAsync();
        var results = (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", """
            {"searches":[
              {"vector":[4,0],"k":1},
              {"vector":[0,0],"k":2,"filter":{"must":[{"key":"n","range":{"gte":3}}]}},
              {"vector":[0,0],"k":5,"filter":{"must":[{"has_id":["d","zz"]}]}},
              {"vector":[0,0],"filter":{"must":[{"key":"color","match":{"value":"purple"}}]}}
            ],"ignored":true}
            """)).AssertJson(HttpStatusCode.OK).GetProperty("results");
        Assert.Equal(4, results.GetArrayLength());
        Assert.Equal(["e"], Ids(results[0]));
        Assert.Equal(["c", "d"], Ids(results[1]));
        Assert.Equal(["d"], Ids(results[2]));
        Assert.Empty(Ids(results[3]));
    }

    [Fact]
    public async Task An_invalid_search_in_a_batch_is_named_and_none_run()
    {
        string name = await SeededAsync();
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch",
            """{"searches":[{"vector":[0,0]},{"vector":[0,0]},{"vector":[0,0,0]}]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.StartsWith("searches[2]: ", detail, StringComparison.Ordinal);
        Assert.Contains("dim", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Query_pages_through_the_matching_items_in_id_order()
    {
        string name = await SeededAsync();
        string filter = """{"should":[{"key":"color","match":{"any":["red","green"]}}]}""";
        var first = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query", $$"""{"filter":{{filter}},"limit":2}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["a", "c"], Ids(first.GetProperty("items")));
        Assert.False(first.GetProperty("items")[0].TryGetProperty("vector", out _));
        Assert.Equal("red", first.GetProperty("items")[0].GetProperty("metadata").GetProperty("color").GetString());
        string next = first.GetProperty("next").GetString()!;
        var second = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query",
            $$"""{"filter":{{filter}},"limit":2,"after":"{{next}}","vectors":true}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["d"], Ids(second.GetProperty("items")));
        Assert.Equal([3f, 0f], second.GetProperty("items")[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var everything = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query", "{}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["a", "b", "c", "d", "e"], Ids(everything.GetProperty("items")));
        Assert.False(everything.GetProperty("items")[4].TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Count_counts_the_matching_items()
    {
        string name = await SeededAsync();
        async Task<int> Count(string body) =>
            (await _http.PostReplyAsync($"/vectors/index/{name}/count", body)).AssertJson(HttpStatusCode.OK).GetProperty("count").GetInt32();

        Assert.Equal(5, await Count("{}"));
        Assert.Equal(5, await Count("""{"filter":null}"""));
        Assert.Equal(5, await Count("""{"filter":{}}"""));
        Assert.Equal(2, await Count("""{"filter":{"must":[{"key":"color","match":{"value":"red"}}]}}"""));
        Assert.Equal(1, await Count("""{"filter":{"must":[{"key":"tags","match":{"value":"x"}}]}}"""));
        Assert.Equal(4, await Count("""{"filter":{"must":[{"is_empty":{"key":"tags"}}]}}"""));
        Assert.Equal(2, await Count("""{"filter":{"must":[{"key":"n","range":{"gt":1,"lte":3.5}}]}}"""));
        Assert.Equal(1, await Count("""{"filter":{"must":[{"key":"n","range":{"gt":1,"lte":3.5}}],"must_not":[{"has_id":["b"]}]}}"""));
    }

    [Fact]
    public async Task Delete_by_filter_removes_every_matching_item()
    {
        string name = await SeededAsync();
        var deleted = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"filter":{"must":[{"key":"color","match":{"value":"red"}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, deleted.GetProperty("deleted").GetInt32());
        Assert.Equal(3, deleted.GetProperty("length").GetInt32());
        Assert.Equal(3, (await _http.PostReplyAsync($"/vectors/index/{name}/count", "{}")).AssertJson(HttpStatusCode.OK).GetProperty("count").GetInt32());
        Assert.Equal(0, (await _http.PostReplyAsync($"/vectors/index/{name}/count", """{"filter":{"must":[{"key":"color","match":{"value":"red"}}]}}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("count").GetInt32());
        var results = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["b", "d", "e"], Ids(results.GetProperty("results")));
        // Nothing matches: nothing deleted.
        var none = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"filter":{"must":[{"has_id":["zz"]}]}}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("deleted").GetInt32());
        Assert.Equal(3, none.GetProperty("length").GetInt32());
    }
}
