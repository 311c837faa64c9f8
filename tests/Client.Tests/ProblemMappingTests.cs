using System.Net;
using Microsoft.AspNetCore.Http;

namespace Vectord.Client.Tests;

/// <summary>Every error status becomes one exception type (the grain API's, where it has one) carrying the status
/// and the answer's <c>detail</c>; answered by a real Kestrel server on demand.</summary>
public sealed class ProblemMappingTests
{
    [Theory]
    [InlineData(400, typeof(InvalidIndexArgumentException))]
    [InlineData(413, typeof(InvalidIndexArgumentException))]
    [InlineData(404, typeof(IndexNotFoundException))]
    [InlineData(409, typeof(IndexAlreadyExistsException))]
    [InlineData(503, typeof(StorageUnavailableException))]
    [InlineData(504, typeof(WriteOutcomeUnknownException))]
    [InlineData(507, typeof(IndexFullException))]
    [InlineData(401, typeof(VectordHttpException))]
    [InlineData(403, typeof(VectordHttpException))]
    [InlineData(408, typeof(VectordHttpException))]
    [InlineData(500, typeof(VectordHttpException))]
    public async Task A_problem_answer_becomes_its_exception(int status, Type expected)
    {
        var ct = TestContext.Current.CancellationToken;
        string detail = $"what went wrong ({status}) \"quoted\" é";
        await using var stub = await StubServer.StartAsync((context, _) => StubServer.ProblemAsync(context, status, detail));
        using var http = new HttpClient { BaseAddress = stub.Address };
        var client = new VectordClient(http);

        var error = await Assert.ThrowsAnyAsync<VectordException>(() => client.GetIndexAsync("some-index", ct));

        Assert.IsType(expected, error);
        Assert.Equal(status, error.Status);
        Assert.Equal(detail, error.Message);
        Assert.Equal("/vectors/index/some-index", Assert.Single(stub.Requests).Path);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_problem_keeps_its_status_and_words()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stub = await StubServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.BadGateway;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>upstream down</html>", context.RequestAborted);
        });
        using var http = new HttpClient { BaseAddress = stub.Address };

        var error = await Assert.ThrowsAsync<VectordHttpException>(() => new VectordClient(http).ListIndexesAsync(ct));

        Assert.Equal(502, error.Status);
        Assert.Equal("502 Bad Gateway: <html>upstream down</html>", error.Message);
    }

    [Fact]
    public async Task A_missing_item_is_told_from_a_missing_index_by_the_code_not_the_words()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stub = await StubServer.StartAsync((context, _) => context.Request.Path.Value!.Contains("/items/", StringComparison.Ordinal)
            ? StubServer.ProblemAsync(context, 404, "no such thing here", context.Request.Path.Value.EndsWith("/gone", StringComparison.Ordinal) ? "item_not_found" : "index_not_found")
            : StubServer.ProblemAsync(context, 404, "no such snapshot", "snapshot_not_found"));
        using var http = new HttpClient { BaseAddress = stub.Address };
        var client = new VectordClient(http);

        Assert.Null(await client.GetItemAsync("idx", "gone", ct));
        Assert.False(await client.DeleteItemAsync("idx", "gone", ct));
        var missingIndex = await Assert.ThrowsAsync<IndexNotFoundException>(() => client.GetItemAsync("idx", "other", ct));
        Assert.Equal("no such thing here", missingIndex.Message);
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => client.DeleteSnapshotAsync("idx", "idx-20260101T000000000Z-00000000.snapshot", ct));
    }

    [Fact]
    public void A_grain_error_has_no_status()
    {
        Assert.Null(new IndexNotFoundException("index not found").Status);
    }
}
