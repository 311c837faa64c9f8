using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vectord.Contracts;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Every error answer names its kind in <c>code</c>, so that callers need not parse <c>detail</c>.</summary>
public sealed class ProblemCodeTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Missing_index_item_and_snapshot_are_told_apart_by_code()
    {
        string name = Http.NewName("codes");
        await _http.CreateIndexAsync(name, 2, "euclidean");

        (await _http.GetReplyAsync($"/vectors/index/{Http.NewName("absent")}")).AssertProblem(HttpStatusCode.NotFound, ProblemCodes.IndexNotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/items/nope")).AssertProblem(HttpStatusCode.NotFound, ProblemCodes.ItemNotFound);
        (await _http.DeleteReplyAsync($"/vectors/index/{name}/items/nope")).AssertProblem(HttpStatusCode.NotFound, ProblemCodes.ItemNotFound);
        (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots/{name}-20260101T000000000Z-00000000.snapshot"))
            .AssertProblem(HttpStatusCode.NotFound, ProblemCodes.SnapshotNotFound);
        (await _http.GetReplyAsync("/vectors/no/such/route")).AssertProblem(HttpStatusCode.NotFound, ProblemCodes.RouteNotFound);
    }

    [Fact]
    public async Task Rule_body_conflict_and_media_type_errors_carry_their_codes()
    {
        string name = Http.NewName("codes");
        await _http.CreateIndexAsync(name, 2, "euclidean");

        (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2}"""))
            .AssertProblem(HttpStatusCode.Conflict, ProblemCodes.IndexExists);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,2,3]}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest, ProblemCodes.InvalidArgument);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":"no"}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest, ProblemCodes.InvalidBody);
        (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1,0],"filter":{"must":[{"key":"a","range":{}}]}}"""))
            .AssertProblem(HttpStatusCode.BadRequest, ProblemCodes.InvalidArgument);

        using var plain = new StringContent("""{"ids":["a"]}""", Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync($"/vectors/index/{name}/delete", plain, TestContext.Current.CancellationToken);
        var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
        reply.AssertProblem(HttpStatusCode.UnsupportedMediaType, ProblemCodes.UnsupportedMediaType);
        Assert.Equal(0, await _http.LengthAsync(name));
    }
}
