using System.Net;
using System.Text;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Text a filter cannot see whole: metadata with an unpaired surrogate or more values than are indexed is
/// refused, and so is a filter whose keys or strings are not Unicode text, on every filter route.</summary>
public sealed class FilterTextTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private async Task<string> IndexAsync()
    {
        string name = Http.NewName("text");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[0,1],"metadata":{"keep":true}}]}"""))
            .AssertJson(HttpStatusCode.OK);
        return name;
    }

    [Fact]
    public async Task Metadata_with_an_unpaired_surrogate_is_400_naming_the_item_and_not_stored()
    {
        string name = await IndexAsync();
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", """
            {"items":[{"id":"b","vector":[1,1],"metadata":{"keep":true}},{"id":"c","vector":[2,1],"metadata":{"keep":true,"note":"\ud83d"}}]}
            """)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.StartsWith("items[1]: metadata ", detail, StringComparison.Ordinal);
        Assert.Contains("not valid Unicode text", detail, StringComparison.Ordinal);
        Assert.Equal(1, await _http.LengthAsync(name));
        // So a delete that keeps the items marked keep cannot remove an item whose mark it could not read.
        var deleted = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"filter":{"must_not":[{"key":"keep","match":{"value":true}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(0, deleted.GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task Metadata_with_more_values_than_are_indexed_is_400_and_the_cap_itself_is_accepted()
    {
        string name = await IndexAsync();
        // "keep" is one value, the array the rest: each element counts, and so does the key holding the array.
        string Values(int count) => string.Join(",", Enumerable.Range(0, count));
        string full = $$$"""{"items":[{"id":"full","vector":[1,1],"metadata":{"keep":true,"v":[{{{Values(1022)}}}]}}]}""";
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", full)).AssertJson(HttpStatusCode.OK);
        string over = $$$"""{"items":[{"id":"over","vector":[2,1],"metadata":{"keep":true,"v":[{{{Values(1023)}}}]}}]}""";
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", over)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[0]: metadata holds more than 1024 values (each array element counts; filters see at most 1024)", detail);
        Assert.Equal(2, await _http.LengthAsync(name));
        var kept = (await _http.PostReplyAsync($"/vectors/index/{name}/count", """{"filter":{"must":[{"key":"v","match":{"value":1021}}]}}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, kept.GetProperty("count").GetInt32());
    }

    public static TheoryData<string, string> Routes() => new()
    {
        { "search", "\"vector\":[0,0]," },
        { "search/batch", "" },
        { "items/query", "" },
        { "count", "" },
        { "delete", "" },
    };

    /// <summary>A body for <paramref name="route"/> around <paramref name="filter"/>.</summary>
    private static string Body(string route, string before, string filter) => route == "search/batch"
        ? $$"""{"searches":[{"vector":[0,0],"filter":{{filter}}}]}"""
        : $$"""{{{before}}"filter":{{filter}}}""";

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_unpaired_surrogate_in_a_filter_is_400_on_every_route(string route, string before)
    {
        string name = await IndexAsync();
        foreach (string filter in new[]
        {
            """{"must":[{"key":"note","match":{"value":"\ud83d"}}]}""",
            """{"must":[{"key":"a\udc00","match":{"value":1}}]}""",
            """{"must_not":[{"key":"tags","match":{"any":["x","\ud83d"]}}]}""",
            """{"must":[{"has_id":["\ud83d"]}]}""",
            """{"must":[{"\ud83d":1}]}""",
        })
        {
            string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", Body(route, before, filter))).AssertProblem(HttpStatusCode.BadRequest);
            Assert.Contains("not valid Unicode text", detail, StringComparison.Ordinal);
        }
        Assert.Equal(1, await _http.LengthAsync(name));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Invalid_utf8_in_a_filter_is_400_on_every_route(string route, string before)
    {
        string name = await IndexAsync();
        foreach (string filter in new[] { "{\"must\":[{\"key\":\"\u00a2\",\"match\":{\"value\":1}}]}", "{\"must\":[{\"key\":\"k\",\"match\":{\"value\":\"ma\u00a0ch\"}}]}" })
        {
            // The UTF-8 of the body with each of those characters' lead byte (0xC2) dropped: a lone continuation byte.
            byte[] body = [.. Encoding.UTF8.GetBytes(Body(route, before, filter)).Where(b => b != 0xC2)];
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await _http.PostAsync($"/vectors/index/{name}/{route}", content, TestContext.Current.CancellationToken);
            var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
            reply.AssertProblem(HttpStatusCode.BadRequest);
        }
        Assert.Equal(1, await _http.LengthAsync(name));
    }
}
