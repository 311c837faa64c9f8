using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The per-request caps: items or ids per call, id length, metadata size and the search body. Each is a
/// 400 (or 413) that names it, on both of the gateway's body paths, and changes nothing.</summary>
public sealed class RequestCapsTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private static string Items(int count, int from = 0) =>
        string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"id":"i{{i}}","vector":[1,{{i}}]}"""));

    [Fact]
    public async Task A_batch_of_the_most_items_is_applied_and_one_more_is_refused_on_either_body_path()
    {
        string name = Http.NewName("cap-batch");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        // The fast reader answers this body; giving "items" twice hands the same batch to the serializer instead.
        foreach (string body in new[] { $$"""{"items":[{{Items(10_001)}}]}""", $$"""{"items":[],"items":[{{Items(10_001)}}]}""" })
        {
            string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", body)).AssertProblem(HttpStatusCode.BadRequest);
            Assert.Equal("items: more than 10000 in one call (split the batch)", detail);
            Assert.Equal(0, await _http.LengthAsync(name));
        }
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{Items(10_000)}}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(10_000, await _http.LengthAsync(name));

        string ids = string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"i{i}\""));
        string refused = (await _http.PostReplyAsync($"/vectors/index/{name}/delete", $$"""{"ids":[{{ids}}]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("ids: more than 10000 in one call (split the batch)", refused);
        Assert.Equal(10_000, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task An_id_over_1_KiB_of_UTF8_is_refused_and_one_of_exactly_1_KiB_is_stored()
    {
        string name = Http.NewName("cap-id");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        string longest = new string('é', 512);   // 1024 bytes of UTF-8
        string tooLong = longest + "x";
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add",
            $$"""{"items":[{"id":"ok","vector":[1,2]},{"id":"{{tooLong}}","vector":[1,2]}]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[1]: id is 1025 bytes of UTF-8 (at most 1024)", detail);
        Assert.Equal(0, await _http.LengthAsync(name));

        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{"id":"{{longest}}","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
        var item = (await _http.GetReplyAsync($"/vectors/index/{name}/items/{Uri.EscapeDataString(longest)}")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(longest, item.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Metadata_over_64_KiB_is_refused_and_64_KiB_is_stored_byte_for_byte(bool serializerPath)
    {
        string name = Http.NewName("cap-meta");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        string Metadata(int bytes) => "\"" + new string('m', bytes - 2) + "\"";   // a JSON string of exactly that many bytes
        string Body(string items) => serializerPath ? $$"""{"items":[],"items":[{{items}}]}""" : $$"""{"items":[{{items}}]}""";

        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add",
            Body($$"""{"id":"a","vector":[1,2]},{"id":"b","vector":[1,2],"metadata":{{Metadata(65_537)}}}"""))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[1]: metadata is 65537 bytes (at most 65536)", detail);
        Assert.Equal(0, await _http.LengthAsync(name));

        string largest = Metadata(65_536);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", Body($$"""{"id":"b","vector":[1,2],"metadata":{{largest}}}"""))).AssertJson(HttpStatusCode.OK);
        var reply = await _http.GetReplyAsync($"/vectors/index/{name}/items/b");
        Assert.Contains($"\"metadata\":{largest}", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_body_over_its_4_MiB_cap_is_413_while_an_add_of_that_size_is_read()
    {
        string name = Http.NewName("cap-search");
        await _http.CreateIndexAsync(name, 2, "euclidean");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
        string padding = new(' ', 4 * 1024 * 1024);
        // The node answers 413 from the declared length without reading the body: with "Expect: 100-continue" the
        // client waits for that answer instead of writing into a connection the server closes.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/vectors/index/{name}/search")
        {
            Content = new StringContent($$"""{"vector":[1,2],{{padding}}"k":1}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var search = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
        Assert.Equal("request body is larger than the 4 MiB limit", search.AssertProblem(HttpStatusCode.RequestEntityTooLarge));

        // The same padding in an add is within the 64 MiB cap: read, parsed and applied.
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{"id":"b","vector":[3,4]}],{{padding}}"x":0}""")).AssertJson(HttpStatusCode.OK);
        var hits = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[3,4],"k":1}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("b", hits.GetProperty("results")[0].GetProperty("id").GetString());
    }
}
