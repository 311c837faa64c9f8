using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Item ids that a URL path would resolve (<c>.</c>, <c>..</c>) or that hold control characters are refused,
/// and a request target with dot segments never reaches a route: deleting item <c>..</c> cannot drop the index.</summary>
public sealed class ItemIdTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Theory]
    [InlineData("DELETE", "/items/..")]
    [InlineData("DELETE", "/items/%2e%2e")]
    [InlineData("DELETE", "/items/%2E.")]
    [InlineData("DELETE", "/items/.%2E/")]
    [InlineData("DELETE", "/items/a/..")]
    [InlineData("DELETE", "/items/.")]
    [InlineData("DELETE", "/items/%2e")]
    [InlineData("DELETE", "/snapshots/..")]
    [InlineData("GET", "/items/..")]
    [InlineData("DELETE", "/x/../")]
    [InlineData("POST", "/./delete")]
    public async Task A_target_with_dot_segments_is_refused_and_the_index_stays(string method, string suffix)
    {
        string name = Http.NewName("dots");
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);

        var (status, body) = await RawHttp.SendAsync(node.Server.BaseAddress, method, $"/vectors/index/{name}{suffix}",
            method == "POST" ? """{"filter":{}}""" : null);

        Assert.Equal(400, status);
        Assert.Contains("'.' or '..' segment", body, StringComparison.Ordinal);
        Assert.Contains(name, await _http.NamesAsync());
        Assert.Equal(2, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task Dots_inside_a_segment_and_in_the_query_are_not_dot_segments()
    {
        string name = Http.NewName("dotted");
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"...","vector":[1,0]},{"id":"a.b","vector":[0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);

        Assert.Equal(200, (await RawHttp.SendAsync(node.Server.BaseAddress, "GET", $"/vectors/index/{name}/items/...")).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(node.Server.BaseAddress, "GET", $"/vectors/index/{name}/items/a.b")).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(node.Server.BaseAddress, "GET", $"/vectors/index/{name}/items?after=..")).Status);
        Assert.Equal(204, (await RawHttp.SendAsync(node.Server.BaseAddress, "DELETE", $"/vectors/index/{name}/items/%2e%2e%2e")).Status);
        Assert.Equal(1, await _http.LengthAsync(name));
    }

    [Theory]
    [InlineData(".", "items[1]: id \".\" is a path segment of its own")]
    [InlineData("..", "items[1]: id \"..\" is a path segment of its own")]
    [InlineData("a\\u0001b", "items[1]: id contains the control character U+0001 at 1")]
    [InlineData("line\\n", "items[1]: id contains the control character U+000A at 4")]
    [InlineData("del\\u007f", "items[1]: id contains the control character U+007F at 3")]
    public async Task Adding_an_id_that_is_a_dot_segment_or_holds_a_control_character_is_a_400_naming_the_item(string id, string message)
    {
        string name = Http.NewName("badid");
        await _http.CreateIndexAsync(name, 2);

        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add",
            $$"""{"items":[{"id":"fine","vector":[1,0]},{"id":"{{id}}","vector":[0,1]}]}""")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.StartsWith(message, detail, StringComparison.Ordinal);
        Assert.Equal(0, await _http.LengthAsync(name));
    }
}
