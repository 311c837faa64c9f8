using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Unusual but well-formed values: each has a defined answer, never a 500.</summary>
public sealed class EdgeValueTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Extreme_search_and_listing_parameters_are_clamped()
    {
        string name = Http.NewName("edge");
        await _http.CreateIndexAsync(name, 2, "cosine");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);

        foreach (string body in (string[])["""{"vector":[1,0],"ef":-5}""", """{"vector":[1,0],"ef":2147483647}""",
                     """{"vector":[1,0],"k":-2147483648,"ef":0}"""])
        {
            var results = (await _http.PostReplyAsync($"/vectors/index/{name}/search", body)).AssertJson(HttpStatusCode.OK).GetProperty("results");
            Assert.Equal(["a", "b"], results.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        }
        foreach (string query in (string[])["limit=-1", "limit=0", "limit=2147483647", "after=zzz", "after="])
        {
            var page = (await _http.GetReplyAsync($"/vectors/index/{name}/items?{query}")).AssertJson(HttpStatusCode.OK);
            int expected = query == "after=zzz" ? 0 : 2;
            Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
        }
        Assert.Contains("vectors", (await _http.GetReplyAsync($"/vectors/index/{name}/items?vectors=maybe"))
            .AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items?limit=99999999999")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Zero_query_under_cosine_and_odd_ids_are_answered_cleanly()
    {
        string name = Http.NewName("odd");
        await _http.CreateIndexAsync(name, 2, "cosine");
        (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[0,0]}""")).AssertProblem(HttpStatusCode.BadRequest);

        string longId = new('i', ItemLimits.MaxIdBytes);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add",
            $$"""{"items":[{"id":"{{longId}}","vector":[1,1]},{"id":"new line \u00e9\ud83d\ude00","vector":[1,2]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/{Uri.EscapeDataString("new line \u00e9\U0001F600")}"))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal("new line \u00e9\U0001F600", item.GetProperty("id").GetString());
        Assert.Equal(longId, (await _http.GetReplyAsync($"/vectors/index/{name}/items/{longId}"))
            .AssertJson(HttpStatusCode.OK).GetProperty("id").GetString());

        // An empty id names no item.
        (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(2, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem_details()
    {
        string name = Http.NewName("ctype");
        await _http.CreateIndexAsync(name, 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/vectors/index/{name}/add")
        {
            Content = new StringContent("""{"items":[{"id":"a","vector":[1]}]}""", System.Text.Encoding.UTF8, "text/plain"),
        };
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _http.LengthAsync(name));
    }
}
