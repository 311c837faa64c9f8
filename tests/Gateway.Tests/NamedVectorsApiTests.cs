using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Named vectors over HTTP: declared at create and echoed in <c>params</c>, given by name on items and read back
/// so, searched with <c>using</c> (alone, in a batch, hybrid), and every misuse a 400 naming it, nothing changed.</summary>
public sealed class NamedVectorsApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private async Task<string> SeededAsync()
    {
        string name = Http.NewName("named");
        var created = (await _http.PostReplyAsync("/vectors/index", $$$$"""
            {"name":"{{{{name}}}}","text_fields":["body"],
             "vectors":{"title":{"dimension":2,"distance":"euclidean"},"image":{"dimension":3,"quantization":"int8"}}}
            """)).AssertJson(HttpStatusCode.Created);
        var p = created.GetProperty("params");
        Assert.Equal("""{"title":{"dimension":2,"distance":"euclidean","quantization":"none"},"image":{"dimension":3,"distance":"cosine","quantization":"int8"}}""",
            p.GetProperty("vectors").GetRawText());
        Assert.Equal(0, p.GetProperty("dimension").GetInt32());
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[
              {"id":"a","vectors":{"title":[0,0],"image":[1,0,0]},"metadata":{"body":"red fox"}},
              {"id":"b","vectors":{"image":[0,1,0],"title":[1,0]},"metadata":{"body":"blue fox"}},
              {"id":"c","vectors":{"title":[5,0],"image":[0,0,1]},"metadata":{"body":"green owl"}}
            ]}
            """)).AssertJson(HttpStatusCode.OK);
        return name;
    }

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    private async Task<JsonElement> ResultsAsync(string name, string route, string body) =>
        (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertJson(HttpStatusCode.OK);

    [Fact]
    public async Task Items_are_read_back_by_name_and_each_vector_is_searched_with_using()
    {
        string name = await SeededAsync();
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/b")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""{"title":[1,0],"image":[0,1,0]}""", item.GetProperty("vectors").GetRawText());
        Assert.False(item.TryGetProperty("vector", out _));

        Assert.Equal(["c", "b", "a"], Ids((await ResultsAsync(name, "search", """{"vector":[6,0],"using":"title"}""")).GetProperty("results")));
        Assert.Equal(["c"], Ids((await ResultsAsync(name, "search", """{"vector":[0,0.1,2],"using":"image","k":1}""")).GetProperty("results")));
        var batch = await ResultsAsync(name, "search/batch", """{"searches":[{"vector":[0,0],"using":"title","k":1},{"vector":[0,1,0],"using":"image","k":1}]}""");
        Assert.Equal(["a"], Ids(batch.GetProperty("results")[0]));
        Assert.Equal(["b"], Ids(batch.GetProperty("results")[1]));
        var hybrid = await ResultsAsync(name, "search", """{"vector":[5,0],"using":"title","text":{"query":"fox"},"k":3}""");
        Assert.Equal(3, hybrid.GetProperty("results").GetArrayLength());
        Assert.Equal(["a", "b"], Ids((await ResultsAsync(name, "search/text", """{"query":"fox"}""")).GetProperty("results")).Order(StringComparer.Ordinal));

        var listed = (await _http.GetReplyAsync($"/vectors/index/{name}/items?vectors=true")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""{"title":[5,0],"image":[0,0,1]}""", listed.GetProperty("items")[2].GetProperty("vectors").GetRawText());
        var queried = await ResultsAsync(name, "items/query", """{"vectors":true,"order_by":[{"key":"body"}],"limit":1}""");
        Assert.Equal("""{"title":[1,0],"image":[0,1,0]}""", queried.GetProperty("items")[0].GetProperty("vectors").GetRawText());
        var bare = (await _http.GetReplyAsync($"/vectors/index/{name}/items")).AssertJson(HttpStatusCode.OK);
        Assert.False(bare.GetProperty("items")[0].TryGetProperty("vectors", out _));
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "add", """{"items":[{"id":"x","vectors":{"title":[1,1],"image":[1,1,1]}},{"id":"y","vectors":{"title":[1,1]}}]}""", "items[1]: vectors.image is required" },
        { "add", """{"items":[{"id":"y","vector":[1,1]}]}""", "items[0]: vector: the index has named vectors (title, image): give them in vectors" },
        { "add", """{"items":[{"id":"y","vectors":{"title":[1,1],"image":[1,"a",1]}}]}""", "vectors.image: vector[1]: expected a number" },
        { "search", """{"vector":[1,1]}""", "using is required: the index has named vectors (title, image)" },
        { "search", """{"vector":[1,1],"using":"audio"}""", "using: the index has no vector named 'audio' (title, image)" },
        { "search", """{"vector":[1,1],"using":"image"}""", "vector: dim mismatch (index=3, got=2)" },
        { "search/batch", """{"searches":[{"vector":[1,1],"using":"title"},{"vector":[1,1]}]}""", "searches[1]: using is required" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_misuse_is_a_400_naming_it_and_changes_nothing(string route, string body, string expected)
    {
        string name = await SeededAsync();
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", body)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.Equal(3, (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK).GetProperty("length").GetInt32());
    }

    public static TheoryData<string, string> BadCreates => new()
    {
        { """{"vectors":{"a":{}}}""", "vectors.a.dimension is required" },
        { """{"vectors":{"a":null}}""", "vectors.a: must be an object with dimension" },
        { """{"vectors":{"a":{"dimension":3,"distance":"manhattan"}}}""", "vectors.a: unknown distance \"manhattan\"" },
        { """{"vectors":{"a":{"dimension":3}},"distance":"dot"}""", "with named vectors, distance and quantization are given for each of them" },
        { """{"vectors":{"a b":{"dimension":3}}}""", "vectors: a vector name is 1-64 characters" },
        { """{"vectors":{"a":{"dimension":0}}}""", "vectors.a: dimension must be between 1 and 65536" },
        { """{"vectors":{"a":{"dimension":3}},"on_disk":true}""", "on_disk is not served for named vectors" },
        { """{"vectors":{"a":{"dimension":3}},"dimension":3}""", "dimension and vectors are exclusive" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_create_is_a_400_naming_it_and_creates_nothing(string fields, string expected)
    {
        string name = Http.NewName("named-bad");
        string body = $$"""{"name":"{{name}}",{{fields[1..]}}""";
        string detail = (await _http.PostReplyAsync("/vectors/index", body)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        (await _http.GetReplyAsync($"/vectors/index/{name}")).AssertProblem(HttpStatusCode.NotFound);
    }
}
