using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>An index created with <c>"vectors": {}</c> over HTTP: its items carry metadata only; they are added,
/// read, listed, counted, ordered and searched by words, and a vector or a search by vector is a 400 that changes
/// nothing.</summary>
public sealed class NoVectorsApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private async Task<string> SeededAsync()
    {
        string name = Http.NewName("novec");
        var created = (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","vectors":{},"text_fields":["title"]}""")).AssertJson(HttpStatusCode.Created);
        Assert.Equal(0, created.GetProperty("params").GetProperty("dimension").GetInt32());
        var added = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","metadata":{"title":"Vector databases","year":2021}},
              {"id":"b","metadata":{"title":"Keyword search","year":2023}},
              {"id":"c","vector":null,"metadata":{"title":"Hybrid search","year":2025}},
              {"id":"d"}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        Assert.Equal(4, added.GetProperty("length").GetInt32());
        return name;
    }

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Its_items_are_read_listed_counted_ordered_and_searched_by_words()
    {
        string name = await SeededAsync();
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/b")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""{"title":"Keyword search","year":2023}""", item.GetProperty("metadata").GetRawText());
        Assert.Equal(0, item.GetProperty("vector").GetArrayLength());

        var count = (await _http.PostReplyAsync($"/vectors/index/{name}/count", """{"filter":{"must":[{"key":"year","range":{"gte":2023}}]}}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, count.GetProperty("count").GetInt32());
        var ordered = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query", """{"order_by":[{"key":"year","direction":"desc"}],"limit":2}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["c", "b"], Ids(ordered.GetProperty("items")));
        var words = (await _http.PostReplyAsync($"/vectors/index/{name}/search/text", """{"query":"search"}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["b", "c"], Ids(words.GetProperty("results")).Order(StringComparer.Ordinal));
        var listed = (await _http.GetReplyAsync($"/vectors/index/{name}/items")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(["a", "b", "c", "d"], Ids(listed.GetProperty("items")));
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "add", """{"items":[{"id":"x"},{"id":"y","vector":[1,2]}]}""", "items[1]: the index has no vectors" },
        { "search", """{"vector":[1,2]}""", "vector: the index has no vectors" },
        { "search", """{"vector":[1],"text":{"query":"search"}}""", "vector: the index has no vectors" },
        { "search/batch", """{"searches":[{"text":{"query":"search"}},{"vector":[1]}]}""", "searches[1]: vector: the index has no vectors" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_vector_or_a_search_by_vector_is_a_400_and_changes_nothing(string route, string body, string expected)
    {
        string name = await SeededAsync();
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.StartsWith(expected, detail, StringComparison.Ordinal);
        var index = (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(4, index.GetProperty("length").GetInt32());
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/x")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_item_without_a_vector_to_an_index_with_vectors_is_a_400()
    {
        string name = Http.NewName("withvec");
        await _http.CreateIndexAsync(name, 2);
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"x","vector":[1,2]},{"id":"y","metadata":{}}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[1]: vector is required", detail);
    }
}
