using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

public sealed class MergeApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Merge_copies_skips_present_ids_and_clears_the_source()
    {
        string source = Http.NewName("src");
        string dest = Http.NewName("dst");
        await _http.CreateIndexAsync(source, 2, "euclidean");
        await _http.CreateIndexAsync(dest, 2, "euclidean");
        await Add(source, """{"items":[{"id":"a","vector":[1,0],"metadata":{"from":"src"}},{"id":"b","vector":[0,1]},{"id":"c","vector":[1,1]}]}""");
        await Add(dest, """{"items":[{"id":"b","vector":[5,5],"metadata":"dest-b"}]}""");

        var first = (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{dest}}"}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("merged").GetInt32());
        Assert.Equal(1, first.GetProperty("skipped_already_present").GetInt32());
        Assert.Equal(0, first.GetProperty("failed").GetInt32());
        Assert.Equal(3, first.GetProperty("length_dest").GetInt32());
        Assert.Equal(3, first.GetProperty("length_source").GetInt32());
        Assert.False(first.TryGetProperty("first_error", out _));

        var a = await _http.GetReplyAsync($"/vectors/index/{dest}/items/a");
        Assert.Contains("\"metadata\":{\"from\":\"src\"}", a.Body, StringComparison.Ordinal);
        var b = await _http.GetReplyAsync($"/vectors/index/{dest}/items/b");
        Assert.Contains("\"metadata\":\"dest-b\"", b.Body, StringComparison.Ordinal);

        var again = (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{dest}}","clear_source":true}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("merged").GetInt32());
        Assert.Equal(3, again.GetProperty("skipped_already_present").GetInt32());
        Assert.Equal(3, again.GetProperty("length_dest").GetInt32());
        Assert.Equal(0, again.GetProperty("length_source").GetInt32());
        Assert.Equal(0, await _http.LengthAsync(source));
    }

    [Fact]
    public async Task Items_the_destination_rejects_count_as_failed()
    {
        string source = Http.NewName("src");
        string dest = Http.NewName("dst");
        await _http.CreateIndexAsync(source, 2, "euclidean");
        await _http.CreateIndexAsync(dest, 2, "cosine");
        await Add(source, """{"items":[{"id":"zero","vector":[0,0]},{"id":"fine","vector":[1,2]}]}""");
        var reply = (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{dest}}","clear_source":true}"""))
            .AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, reply.GetProperty("merged").GetInt32());
        Assert.Equal(1, reply.GetProperty("failed").GetInt32());
        Assert.False(string.IsNullOrEmpty(reply.GetProperty("first_error").GetString()));
        Assert.Equal(1, reply.GetProperty("length_source").GetInt32());
        Assert.Equal(1, reply.GetProperty("length_dest").GetInt32());
    }

    [Fact]
    public async Task Merge_errors_are_problem_details()
    {
        string source = Http.NewName("src");
        string other = Http.NewName("dim");
        await _http.CreateIndexAsync(source, 2);
        await _http.CreateIndexAsync(other, 3);
        await Add(source, """{"items":[{"id":"a","vector":[1,0]}]}""");

        Assert.Contains("source not found", (await _http.PostReplyAsync($"/vectors/index/{Http.NewName("nope")}/merge", $$"""{"dest":"{{source}}"}"""))
            .AssertProblem(HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("dest not found", (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{Http.NewName("nope")}}"}"""))
            .AssertProblem(HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("dest must be set and differ from source", (await _http.PostReplyAsync($"/vectors/index/{source}/merge", "{}"))
            .AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("dest must be set and differ from source", (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{source}}"}"""))
            .AssertProblem(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{other}}"}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{source}/merge", $$"""{"dest":"{{other}}","clear_source":"yes"}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _http.PostReplyAsync($"/vectors/index/{source}/merge", """{"dest":5}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(1, await _http.LengthAsync(source));
        Assert.Equal(0, await _http.LengthAsync(other));
    }

    [Fact]
    public async Task Merges_in_opposite_directions_at_once_both_finish()
    {
        string left = Http.NewName("left");
        string right = Http.NewName("right");
        await _http.CreateIndexAsync(left, 2, "euclidean");
        await _http.CreateIndexAsync(right, 2, "euclidean");
        await Add(left, $$"""{"items":[{{string.Join(',', Enumerable.Range(0, 200).Select(i => $$"""{"id":"l{{i}}","vector":[{{i}},1]}"""))}}]}""");
        await Add(right, $$"""{"items":[{{string.Join(',', Enumerable.Range(0, 200).Select(i => $$"""{"id":"r{{i}}","vector":[1,{{i}}]}"""))}}]}""");

        var both = Task.WhenAll(
            _http.PostReplyAsync($"/vectors/index/{left}/merge", $$"""{"dest":"{{right}}"}"""),
            _http.PostReplyAsync($"/vectors/index/{right}/merge", $$"""{"dest":"{{left}}"}"""));
        Reply[] replies = await both.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        foreach (var reply in replies)
        {
            var json = reply.AssertJson(HttpStatusCode.OK);
            Assert.Equal(0, json.GetProperty("failed").GetInt32());
        }
        // Whatever the interleaving, each index ends with every item of both.
        Assert.Equal(400, await _http.LengthAsync(left));
        Assert.Equal(400, await _http.LengthAsync(right));
    }

    private async Task Add(string name, string body) =>
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", body)).AssertJson(HttpStatusCode.OK);
}
