using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Every bad add or search body is a 400 ProblemDetails and changes nothing.</summary>
public sealed class BadInputTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    public static TheoryData<string, string> BadAddBodies() => new()
    {
        // body, text the detail must contain
        { """{"items":[]}""", "items must be non-empty" },
        { """{}""", "items must be non-empty" },
        { """{"items":null}""", "items must be non-empty" },
        { """{"items":[{"id":"","vector":[1,2,3]}]}""", "items[0]: empty id" },
        { """{"items":[{"vector":[1,2,3]}]}""", "items[0]: empty id" },
        { """{"items":[{"id":"x","vector":[1,2,3]},{"id":"y","vector":[1,2]}]}""", "items[1]: dim mismatch (index=3, got=2)" },
        { """{"items":[{"id":"x","vector":[1,2,3,4]}]}""", "items[0]: dim mismatch (index=3, got=4)" },
        { """{"items":[{"id":"x","vector":[0,0,0]}]}""", "items[0]" },
        { """{"items":[{"id":"x","vector":[1,1e999,1]}]}""", "finite" },
        { """{"items":[{"id":"x","vector":[1,-1e999,1]}]}""", "finite" },
        { """{"items":[{"id":"x","vector":[1,3.5e38,1]}]}""", "finite" },
        { """{"items":[{"id":"x","vector":[1,"NaN",1]}]}""", "vector[1]" },
        { """{"items":[{"id":"x","vector":[1,"Infinity",1]}]}""", "vector[1]" },
        { """{"items":[{"id":"x","vector":[1,NaN,1]}]}""", "JSON" },
        { """{"items":[{"id":"x","vector":"1,2,3"}]}""", "vector" },
        { """{"items":[{"id":"x","vector":[1,[2],3]}]}""", "vector[1]" },
        { """{"items":[{"id":"x","vector":[1,null,3]}]}""", "vector[1]" },
        { """{"items":[{"id":"x","vector":[1,true,3]}]}""", "vector[1]" },
        { """{"items":[{"id":"x"}]}""", "items[0]: vector is required" },
        { """{"items":[{"id":"ok","vector":[1,2,3]},{"id":"x","vector":null}]}""", "items[1]: vector is required" },
        { """{"items":[null]}""", "items[0]" },
        { """{"items":[{"id":5,"vector":[1,2,3]}]}""", "JSON" },
        { """{"items":{"id":"x","vector":[1,2,3]}}""", "JSON" },
        { """{"items":[{"id":"x","vector":[1,2,3]}""", "JSON" },
        { """{"items":[{"id":"x","vector":[1,2,3],"metadata":}]}""", "JSON" },
        { """{"items":[{"id":"x","vector":[1,2,3],"metadata":{"a":1,}}]}""", "JSON" },
        { "[]", "JSON" },
        { "null", "null" },
        { "", "required" },
        { "\"items\"", "JSON" },
        { "{\"items\":[{\"id\":\"x\",\"vector\":[1,2,3],\"metadata\":" + new string('[', 100) + new string(']', 100) + "}]}", "depth" },
    };

    [Theory]
    [MemberData(nameof(BadAddBodies))]
    public async Task Bad_add_bodies_are_400_and_change_nothing(string body, string expected)
    {
        string name = Http.NewName("badadd");
        await _http.CreateIndexAsync(name, 3);
        var seeded = await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"seed","vector":[1,0,0],"metadata":{"v":1}}]}""");
        seeded.AssertJson(HttpStatusCode.OK);

        var reply = await _http.PostReplyAsync($"/vectors/index/{name}/add", body);
        string detail = reply.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(1, await _http.LengthAsync(name));
        var seed = await _http.GetReplyAsync($"/vectors/index/{name}/items/seed");
        Assert.Contains("\"metadata\":{\"v\":1}", seed.Body, StringComparison.Ordinal);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/x")).AssertProblem(HttpStatusCode.NotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/ok")).AssertProblem(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadSearchBodies() => new()
    {
        { """{"vector":[1,2]}""", "dim" },
        { """{"vector":[]}""", "dim" },
        { """{"vector":[1,1e999,0]}""", "finite" },
        { """{"vector":[1,"NaN",0]}""", "vector[1]" },
        { """{"k":3}""", "vector is required" },
        { """{"vector":[1,0,0],"k":"3"}""", "JSON" },
        { """{"vector":[1,0,0],"k":1e20}""", "JSON" },
        { """{"vector":[1,0,0],"k":99999999999}""", "JSON" },
        { """{"vector":[1,0,0],"k":2.5}""", "JSON" },
        { """{"vector":[1,0,0],"ef":"wide"}""", "JSON" },
        { """{"vector":[1,0,0]""", "JSON" },
        { "", "required" },
        { "null", "null" },
    };

    [Theory]
    [MemberData(nameof(BadSearchBodies))]
    public async Task Bad_search_bodies_are_400(string body, string expected)
    {
        string name = Http.NewName("badsearch");
        await _http.CreateIndexAsync(name, 3);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0,0]}]}""")).AssertJson(HttpStatusCode.OK);
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/search", body)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task Body_over_64_MiB_is_413_and_the_service_stays_up()
    {
        string name = Http.NewName("big");
        await _http.CreateIndexAsync(name, 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/vectors/index/{name}/add")
        {
            Content = new OversizedContent(64L * 1024 * 1024 + 1),
        };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
        Assert.Contains("64 MiB", reply.AssertProblem(HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);

        (await _http.GetReplyAsync("/health")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(0, await _http.LengthAsync(name));
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1]}]}""")).AssertJson(HttpStatusCode.OK);
    }

    /// <summary>A JSON-looking body of a declared length, produced lazily (never held in memory).</summary>
    private sealed class OversizedContent : HttpContent
    {
        private readonly long _length;

        public OversizedContent(long length)
        {
            _length = length;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            byte[] chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, _length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }

    [Fact]
    public async Task Metadata_nests_at_most_32_levels_and_what_is_stored_is_always_served()
    {
        string name = Http.NewName("depth");
        await _http.CreateIndexAsync(name, 2);
        static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);

        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{"id":"deep","vector":[1,0],"metadata":{{Nested(33)}}}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("items[0]: metadata nests 33 levels deep (at most 32)", detail);

        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{"id":"ok","vector":[1,0],"metadata":{{Nested(32)}}}]}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(Nested(32), (await _http.GetReplyAsync($"/vectors/index/{name}/items/ok")).AssertJson(HttpStatusCode.OK).GetProperty("metadata").GetRawText());
        var hit = (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1,0]}""")).AssertJson(HttpStatusCode.OK).GetProperty("results")[0];
        Assert.Equal(Nested(32), hit.GetProperty("metadata").GetRawText());
        (await _http.GetReplyAsync($"/vectors/index/{name}/items")).AssertJson(HttpStatusCode.OK);
    }
}
