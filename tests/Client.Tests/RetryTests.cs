using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Vectord.Client.Tests;

/// <summary>The client registered by <c>AddVectordClient</c> repeats reads after a 503 or a broken connection,
/// and never repeats a write; a real Kestrel server fails on demand.</summary>
public sealed class RetryTests
{
    private const string IndexJson =
        """{"params":{"name":"r","dimension":2,"m":16,"ef_search":64,"distance":"cosine","shards":1},"length":7}""";

    private const string SearchJson = """{"results":[{"id":"a","distance":0.5}]}""";

    /// <summary>A client of <paramref name="stub"/> as an application gets it from its services.</summary>
    private static (ServiceProvider Services, VectordClient Client) ClientOf(StubServer stub, int maxRetries = 3)
    {
        var services = new ServiceCollection();
        services.AddVectordClient(o =>
        {
            o.Endpoint = stub.Address;
            o.MaxRetries = maxRetries;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        ServiceProvider provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<VectordClient>());
    }

    /// <summary>Fails the first two requests with 503, then answers <paramref name="json"/>.</summary>
    private static Task<StubServer> FailTwiceAsync(string json) =>
        StubServer.StartAsync((context, n) => n <= 2
            ? StubServer.ProblemAsync(context, 503, "storage is unavailable; retry later")
            : StubServer.JsonAsync(context, json));

    [Fact]
    public async Task A_get_is_repeated_after_two_503s_and_succeeds()
    {
        await using var stub = await FailTwiceAsync(IndexJson);
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        IndexInfo info = await client.GetIndexAsync("r", TestContext.Current.CancellationToken);

        Assert.Equal(7, info.Length);
        Assert.Equal(3, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal(("GET", "/vectors/index/r"), (r.Method, r.Path)));
    }

    [Fact]
    public async Task A_filter_that_ran_past_its_time_limit_is_not_repeated()
    {
        await using var stub = await StubServer.StartAsync((context, _) =>
            StubServer.ProblemAsync(context, 503, "the filter took longer than the 10 s ...", "filter_timeout"));
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => client.CountAsync("r",
            ItemFilter.All(Where.Range("n", gte: 1)), TestContext.Current.CancellationToken));

        Assert.Equal(503, error.Status);
        Assert.StartsWith("the filter took longer", error.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_search_is_a_read_repeated_with_the_same_body()
    {
        await using var stub = await FailTwiceAsync(SearchJson);
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        SearchHit[] hits = await client.SearchAsync("r", new SearchQuery([1, 0], K: 3), TestContext.Current.CancellationToken);

        Assert.Equal("a", Assert.Single(hits).Id);
        StubServer.Received[] requests = [.. stub.Requests];
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        Assert.Equal("""{"vector":[1,0],"k":3}""", System.Text.Encoding.UTF8.GetString(requests[0].Body));
    }

    [Fact]
    public async Task An_add_is_sent_once_even_when_answered_503()
    {
        await using var stub = await FailTwiceAsync("""{"added":1,"length":1}""");
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => client.AddAsync("r", [new IndexItem("a", [1, 0])], TestContext.Current.CancellationToken));

        Assert.Equal(503, error.Status);
        Assert.Equal("POST", Assert.Single(stub.Requests).Method);
    }

    [Fact]
    public async Task A_broken_connection_repeats_a_read_but_not_an_add()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stub = await StubServer.StartAsync((context, n) =>
        {
            if (n is 1 or 2 or 4)
            {
                context.Abort();
                return Task.CompletedTask;
            }
            return StubServer.JsonAsync(context, """{"count":42}""");
        });
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        Assert.Equal(42, await client.CountAsync("r", cancellationToken: ct));
        Assert.Equal(3, stub.Requests.Count);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.AddAsync("r", [new IndexItem("a", [1, 0])], ct));
        Assert.Equal(4, stub.Requests.Count);
    }

    [Fact]
    public async Task A_read_gives_up_after_its_retries_with_the_last_answer()
    {
        await using var stub = await StubServer.StartAsync((context, _) => StubServer.ProblemAsync(context, 503, "busy"));
        var (services, client) = ClientOf(stub, maxRetries: 2);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => client.ListIndexesAsync(TestContext.Current.CancellationToken));

        Assert.Equal("busy", error.Message);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task Other_errors_are_not_repeated()
    {
        await using var stub = await StubServer.StartAsync((context, _) => StubServer.ProblemAsync(context, 500, "boom"));
        var (services, client) = ClientOf(stub);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<VectordHttpException>(() => client.GetIndexAsync("r", TestContext.Current.CancellationToken));

        Assert.Equal(500, error.Status);
        Assert.Single(stub.Requests);
    }
}
