using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Text fields over HTTP: created and echoed in params, keyword search (<c>search/text</c>), hybrid search in
/// <c>search</c> and <c>search/batch</c> with both fusions, the <c>match.text</c> filter on every filtered route, and a
/// 400 naming what is wrong for each misuse, with nothing changed.</summary>
public sealed class TextSearchApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    /// <summary>Five articles on a line (euclidean): a at 0 … e at 4. Titles and bodies share words unevenly.</summary>
    private async Task<string> SeededAsync(string extra = "")
    {
        string name = Http.NewName("text");
        (await _http.PostReplyAsync("/vectors/index", $$"""
            {"name":"{{name}}","dimension":2,"distance":"euclidean",
             "text_fields":["title",{"key":"body","language":"english"}]{{extra}}}
            """)).AssertJson(HttpStatusCode.Created);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","vector":[0,0],"metadata":{"title":"Vector databases","body":"Indexing vectors for nearest neighbour search","lang":"en"}},
              {"id":"b","vector":[1,0],"metadata":{"title":"Keyword search","body":"Inverted indexes score documents by BM25","lang":"en"}},
              {"id":"c","vector":[2,0],"metadata":{"title":"Hybrid search","body":"Fusing vector search and keyword search ranks","lang":"de"}},
              {"id":"d","vector":[3,0],"metadata":{"title":"Cooking","body":"A recipe for bread","lang":"en"}},
              {"id":"e","vector":[4,0]}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        return name;
    }

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    private async Task<JsonElement> ResultsAsync(string name, string route, string body, string list = "results") =>
        (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertJson(HttpStatusCode.OK).GetProperty(list);

    [Fact]
    public async Task Text_fields_and_bm25_are_echoed_in_params()
    {
        string name = await SeededAsync(""","bm25":{"k1":0.9,"b":0.4}""");
        var index = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK).GetProperty("params");
        Assert.Equal("""[{"key":"title","language":"none"},{"key":"body","language":"english"}]""", index.GetProperty("text_fields").GetRawText());
        Assert.Equal(0.9, index.GetProperty("bm25").GetProperty("k1").GetDouble());
        Assert.Equal(0.4, index.GetProperty("bm25").GetProperty("b").GetDouble());

        string plain = Http.NewName("plain");
        var created = await _http.CreateIndexAsync(plain, 2);
        Assert.False(created.GetProperty("params").TryGetProperty("text_fields", out _));
        Assert.False(created.GetProperty("params").TryGetProperty("bm25", out _));
    }

    [Fact]
    public async Task A_keyword_search_ranks_by_bm25_over_the_fields_and_honours_fields_k_and_filter()
    {
        string name = await SeededAsync();
        // c: "search" in its title, "keyword" and "search" twice in its body; b: both words in its title; a: "search" once.
        var results = await ResultsAsync(name, "search/text", """{"query":"keyword search"}""");
        Assert.Equal(["c", "b", "a"], Ids(results));
        float[] scores = [.. results.EnumerateArray().Select(r => r.GetProperty("score").GetSingle())];
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2], string.Join(", ", scores));
        Assert.Equal("Hybrid search", results[0].GetProperty("metadata").GetProperty("title").GetString());
        Assert.False(results[0].TryGetProperty("distance", out _));

        Assert.Equal(["b", "c"], Ids(await ResultsAsync(name, "search/text", """{"query":"keyword search","fields":["title"]}""")));
        Assert.Equal(["c"], Ids(await ResultsAsync(name, "search/text", """{"query":"keyword search","k":1}""")));
        Assert.Equal(["c"], Ids(await ResultsAsync(name, "search/text",
            """{"query":"keyword search","filter":{"must":[{"key":"lang","match":{"value":"de"}}]}}""")));
        // English stems in body: "indexed" finds "Indexing" and "indexes"; title is not stemmed.
        Assert.Equal(["a", "b"], Ids(await ResultsAsync(name, "search/text", """{"query":"indexed","fields":["body"]}""")).Order(StringComparer.Ordinal));
        Assert.Empty(Ids(await ResultsAsync(name, "search/text", """{"query":"indexed","fields":["title"]}""")));
    }

    [Fact]
    public async Task A_hybrid_search_fuses_the_nearest_items_and_the_keyword_matches()
    {
        string name = await SeededAsync();
        // Nearest to [3.9,0]: e, d, c, b, a. Keyword "bread recipe": only d. RRF puts d, in both lists, first.
        var rrf = await ResultsAsync(name, "search", """{"vector":[3.9,0],"k":3,"text":{"query":"bread recipe"}}""");
        Assert.Equal(["d", "e", "c"], Ids(rrf));
        Assert.Equal(1.0 / 62 + 1.0 / 61, rrf[0].GetProperty("score").GetDouble(), 1e-6);
        Assert.Equal(0.9f, rrf[0].GetProperty("distance").GetSingle(), 1e-5f);

        // Every item is among the nearest here (five items, 100 candidates), so each carries its distance.
        var words = await ResultsAsync(name, "search", """{"vector":[3.9,0],"k":5,"text":{"query":"keyword","fields":["title"]}}""");
        Assert.All(words.EnumerateArray(), r => Assert.True(r.TryGetProperty("distance", out _)));

        // Weighted: alpha 1 is the vector order, alpha 0 the keyword order (then the rest by id).
        Assert.Equal(["e", "d", "c"], Ids(await ResultsAsync(name, "search",
            """{"vector":[3.9,0],"k":3,"text":{"query":"keyword search"},"fusion":"weighted","alpha":1}""")));
        Assert.Equal(["c", "b", "a"], Ids(await ResultsAsync(name, "search",
            """{"vector":[3.9,0],"k":3,"text":{"query":"keyword search"},"fusion":"weighted","alpha":0}""")));

        var batch = (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", """
            {"searches":[{"vector":[0,0],"k":2},{"vector":[3.9,0],"k":3,"text":{"query":"bread recipe"}},{"text":{"query":"bread"},"k":2}]}
            """)).AssertJson(HttpStatusCode.OK).GetProperty("results");
        Assert.Equal(["a", "b"], Ids(batch[0]));
        Assert.False(batch[0][0].TryGetProperty("score", out _));
        Assert.Equal(["d", "e", "c"], Ids(batch[1]));
        Assert.Equal(["d"], Ids(batch[2]));
        Assert.False(batch[2][0].TryGetProperty("distance", out _));
    }

    [Fact]
    public async Task Match_text_needs_every_word_on_every_filtered_route()
    {
        string name = await SeededAsync();
        const string Filter = """{"must":[{"key":"body","match":{"text":"SEARCH vectors"}}]}""";
        Assert.Equal(["a", "c"], Ids(await ResultsAsync(name, "search", $$"""{"vector":[0,0],"filter":{{Filter}}}""")));
        Assert.Equal(2, (await _http.PostReplyAsync($"/vectors/index/{name}/count", $$"""{"filter":{{Filter}}}""")).AssertJson(HttpStatusCode.OK).GetProperty("count").GetInt32());
        Assert.Equal(["a", "c"], Ids((await _http.PostReplyAsync($"/vectors/index/{name}/items/query", $$"""{"filter":{{Filter}}}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("items")));
        Assert.Equal(["c"], Ids(await ResultsAsync(name, "search/text",
            """{"query":"search","filter":{"must":[{"key":"title","match":{"text":"hybrid"}}]}}""")));
        var deleted = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"filter":{"must":[{"key":"title","match":{"text":"cooking"}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, deleted.GetProperty("deleted").GetInt32());
        Assert.Empty(Ids(await ResultsAsync(name, "search/text", """{"query":"bread"}""")));
    }

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        // route, body, detail
        { "search/text", """{"k":3}""", "query is required" },
        { "search/text", """{"query":"  "}""", "text.query: must be non-empty" },
        { "search/text", """{"query":"x","fields":["lang"]}""", "text.fields[0]: 'lang' is not a text field of this index" },
        { "search/text", """{"query":"x","fields":[1]}""", "" },
        { "search", """{"vector":[0,0],"text":{"query":"x"},"alpha":0.5}""", "alpha: applies to weighted fusion only" },
        { "search", """{"vector":[0,0],"text":{"query":"x"},"fusion":"weighted","alpha":2}""", "alpha: must be between 0 and 1" },
        { "search", """{"vector":[0,0],"text":{"query":"x"},"fusion":"max"}""", "fusion: unknown value \"max\" (expected rrf or weighted)" },
        { "search", """{"vector":[0,0],"text":{"fields":["body"]}}""", "text.query: is required" },
        { "search", """{"vector":[0],"text":{"query":"x"}}""", "vector: dim mismatch (index=2, got=1)" },
        { "search/batch", """{"searches":[{"vector":[0,0]},{"text":{"query":"x","fields":["nope"]}}]}""", "searches[1].text.fields[0]: 'nope' is not a text field of this index" },
        { "count", """{"filter":{"must":[{"key":"lang","match":{"text":"en"}}]}}""", "filter.must[0].match.text: 'lang' is not a text field of this index" },
        { "count", """{"filter":{"must":[{"key":"body","match":{"text":5}}]}}""", "filter.must[0].match.text: must be a string" },
        { "delete", """{"filter":{"should":[{"must":[{"key":"x","match":{"text":"a"}}]}]}}""", "filter.should[0].must[0].match.text: 'x' is not a text field of this index" },
        { "items/query", """{"filter":{"must":[{"key":"body","match":{"text":"a","value":"b"}}]}}""", "filter.must[0].match: only one of value, any, except or text may be given" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_text_search_is_400_naming_it_and_changes_nothing(string route, string body, string detail)
    {
        string name = await SeededAsync();
        string problem = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertProblem(HttpStatusCode.BadRequest);
        if (detail.Length > 0) { Assert.Equal(detail, problem); }
        Assert.Equal(5, await _http.LengthAsync(name));
    }

    public static TheoryData<string, string> BadCreates() => new()
    {
        { "\"bm25\":{\"k1\":1}", "bm25 needs text_fields: the index has no text to score" },
        { "\"text_fields\":[\"a\",\"a\"]", "text_fields: text field 'a' is named twice" },
        { "\"text_fields\":[{\"key\":\"a\",\"language\":\"klingon\"}]", "text_fields[0].language: unknown value \"klingon\" (expected none or english)" },
        { "\"text_fields\":[\"a..\"]", "text_fields[0]: 'a..' has an empty step between dots" },
        { "\"text_fields\":[{\"language\":\"english\"}]", "text_fields[0].key: is required" },
        { "\"text_fields\":[\"a\"],\"bm25\":{\"b\":1.5}", "text_fields: bm25 b must be between 0 and 1" },
        { "\"text_fields\":[\"a\"],\"bm25\":{\"k1\":-1}", "text_fields: bm25 k1 must be a finite number ≥ 0" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_text_field_is_400_and_creates_nothing(string extra, string detail)
    {
        string name = Http.NewName("badtext");
        var reply = await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,{{extra}}}""");
        Assert.Equal(detail, reply.AssertProblem(HttpStatusCode.BadRequest));
        Assert.DoesNotContain(name, await _http.NamesAsync());
    }

    [Fact]
    public async Task An_index_without_text_fields_refuses_keyword_and_hybrid_searches()
    {
        string name = Http.NewName("notext");
        await _http.CreateIndexAsync(name, 2);
        Assert.Equal("text: this index has no text fields (add them with text_fields)",
            (await _http.PostReplyAsync($"/vectors/index/{name}/search/text", """{"query":"x"}""")).AssertProblem(HttpStatusCode.BadRequest));
        Assert.Equal("text: this index has no text fields (add them with text_fields)",
            (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1,0],"text":{"query":"x"}}""")).AssertProblem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Text_fields_added_later_index_the_items_held_and_every_later_one()
    {
        string name = Http.NewName("latetext");
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","vector":[1,0],"metadata":{"title":"Bread recipes","body":"Baking loaves of bread"}},
              {"id":"b","vector":[0,1],"metadata":{"title":"Vector search","body":"Searching vectors"}}
            ]}
            """)).AssertJson(HttpStatusCode.OK);

        var added = (await _http.PostReplyAsync($"/vectors/index/{name}/text_fields", """{"text_fields":["title"]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""[{"key":"title","language":"none"}]""", added.GetProperty("params").GetProperty("text_fields").GetRawText());
        Assert.Equal(1.2, added.GetProperty("params").GetProperty("bm25").GetProperty("k1").GetDouble());
        Assert.Equal(2, added.GetProperty("length").GetInt32());
        Assert.Equal(["a"], Ids(await ResultsAsync(name, "search/text", """{"query":"bread"}""")));
        Assert.Equal("text.fields[0]: 'body' is not a text field of this index",
            (await _http.PostReplyAsync($"/vectors/index/{name}/search/text", """{"query":"bread","fields":["body"]}""")).AssertProblem(HttpStatusCode.BadRequest));

        // Another field, in english; the one held is repeated as it is (a retry changes nothing).
        var both = (await _http.PostReplyAsync($"/vectors/index/{name}/text_fields",
            """{"text_fields":["title",{"key":"body","language":"english"}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""[{"key":"title","language":"none"},{"key":"body","language":"english"}]""",
            both.GetProperty("params").GetProperty("text_fields").GetRawText());
        Assert.Equal(["b"], Ids(await ResultsAsync(name, "search/text", """{"query":"searched","fields":["body"]}""")));
        Assert.Equal(["a"], Ids(await ResultsAsync(name, "items/query",
            """{"filter":{"must":[{"key":"body","match":{"text":"baked breads"}}]}}""", "items")));

        // Items added afterwards are indexed too, and the fields stay in params.
        (await _http.PostReplyAsync($"/vectors/index/{name}/add",
            """{"items":[{"id":"c","vector":[1,1],"metadata":{"title":"Bread and butter"}}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["a", "c"], Ids(await ResultsAsync(name, "search/text", """{"query":"bread","fields":["title"]}""")).Order(StringComparer.Ordinal));
        var index = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK).GetProperty("params");
        Assert.Equal(2, index.GetProperty("text_fields").GetArrayLength());
    }

    public static TheoryData<string, string> BadAdditions() => new()
    {
        { """{"text_fields":[]}""", "text_fields must name at least one field" },
        { "{}", "text_fields must name at least one field" },
        { """{"text_fields":[{"key":"title","language":"english"}]}""", "text_fields[0]: 'title' is a text field already, in none" },
        { """{"text_fields":["x",{"key":"y","language":"klingon"}]}""", "text_fields[1].language: unknown value \"klingon\" (expected none or english)" },
        { """{"text_fields":["x","a..b"]}""", "text_fields[1]: 'a..b' has an empty step between dots" },
        { """{"text_fields":[null]}""", "text_fields[0]: must be a key or an object with key" },
    };

    [Theory]
    [MemberData(nameof(BadAdditions))]
    public async Task A_bad_text_field_addition_is_400_naming_it_and_changes_nothing(string body, string detail)
    {
        string name = Http.NewName("badlate");
        (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"text_fields":["title"]}""")).AssertJson(HttpStatusCode.Created);
        Assert.Equal(detail, (await _http.PostReplyAsync($"/vectors/index/{name}/text_fields", body)).AssertProblem(HttpStatusCode.BadRequest));
        var index = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK).GetProperty("params");
        Assert.Equal("""[{"key":"title","language":"none"}]""", index.GetProperty("text_fields").GetRawText());
    }

    [Fact]
    public async Task Text_fields_for_no_such_index_are_404()
    {
        var reply = await _http.PostReplyAsync($"/vectors/index/{Http.NewName("absent")}/text_fields", """{"text_fields":["title"]}""");
        Assert.Equal("index not found", reply.AssertProblem(HttpStatusCode.NotFound));
    }
}
