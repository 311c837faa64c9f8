using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A co-hosted node with one read-write and one read-only token.</summary>
public sealed class ReadOnlyFixture() : NodeFixture(new()
{
    ["Auth:Tokens:0"] = Writer,
    ["Auth:ReadOnlyTokens:0"] = Reader,
})
{
    public const string Writer = "writer-token-1";
    public const string Reader = "reader-token-2";
}

/// <summary>Every route with each kind of token: read-write, read-only, wrong and none.</summary>
public sealed class ReadOnlyTokenTests(ReadOnlyFixture fixture) : IClassFixture<ReadOnlyFixture>
{
    private HttpClient Http => fixture.Server.Client;

    /// <summary>Read routes: any GET, and the query POSTs.</summary>
    private static (HttpMethod Method, string Path, string? Body)[] Reads(string name) =>
    [
        (HttpMethod.Get, "/vectors/index", null),
        (HttpMethod.Get, $"/vectors/index/{name}", null),
        (HttpMethod.Get, $"/vectors/index/{name}/items", null),
        (HttpMethod.Get, $"/vectors/index/{name}/items/a", null),
        (HttpMethod.Get, "/auth/whoami", null),
        (HttpMethod.Get, "/cluster/silos", null),
        (HttpMethod.Get, "/cluster/indexes", null),
        (HttpMethod.Get, "/metrics", null),
        (HttpMethod.Get, "/openapi/v1.json", null),
        (HttpMethod.Post, $"/vectors/index/{name}/search", """{"vector":[1,0]}"""),
        (HttpMethod.Post, $"/vectors/index/{name}/search/batch", """{"searches":[{"vector":[1,0]}]}"""),
        (HttpMethod.Post, $"/vectors/index/{name}/search", """{"vector":[1,0],"filter":{"must":[{"has_id":["a"]}]}}"""),
        (HttpMethod.Post, $"/vectors/index/{name}/items/query", "{}"),
        (HttpMethod.Post, $"/vectors/index/{name}/items/query", """{"filter":{"must_not":[{"has_id":["a"]}]},"limit":1}"""),
        (HttpMethod.Post, $"/vectors/index/{name}/count", "{}"),
        (HttpMethod.Post, $"/vectors/index/{name}/count", """{"filter":{"must":[{"is_empty":{"key":"x"}}]}}"""),
    ];

    /// <summary>Write routes and what they answer a read-write token.</summary>
    private static (HttpMethod Method, string Path, string? Body, HttpStatusCode WriterStatus)[] Writes(string name, string other) =>
    [
        (HttpMethod.Post, "/vectors/index", $$"""{"name":"{{other}}","dimension":2}""", HttpStatusCode.Created),
        (HttpMethod.Post, $"/vectors/index/{name}/add", """{"items":[{"id":"c","vector":[1,1]}]}""", HttpStatusCode.OK),
        (HttpMethod.Post, $"/vectors/index/{name}/delete", """{"ids":["c"]}""", HttpStatusCode.OK),
        (HttpMethod.Post, $"/vectors/index/{name}/delete", """{"filter":{"must":[{"has_id":["c"]}]}}""", HttpStatusCode.OK),
        (HttpMethod.Post, $"/vectors/index/{name}/text_fields", """{"text_fields":["title"]}""", HttpStatusCode.OK),
        (HttpMethod.Post, $"/vectors/index/{name}/merge", $$"""{"dest":"{{other}}"}""", HttpStatusCode.OK),
        (HttpMethod.Delete, $"/vectors/index/{name}/items/b", null, HttpStatusCode.NoContent),
        (HttpMethod.Delete, $"/vectors/index/{other}", null, HttpStatusCode.NoContent),
        (HttpMethod.Post, $"/vectors/index/{name}/snapshots", "{}", HttpStatusCode.Created),
        (HttpMethod.Delete, $"/vectors/index/{name}/snapshots/{name}-20261202T180000000Z-00000000.snapshot", null, HttpStatusCode.NotFound),
        (HttpMethod.Post, $"/vectors/snapshots/restore?index={other}", "{}", HttpStatusCode.UnsupportedMediaType),
    ];

    [Fact]
    public async Task Each_kind_of_token_gets_what_it_may_on_every_route()
    {
        string name = Gateway.Tests.Http.NewName("ro");
        string other = Gateway.Tests.Http.NewName("ro-other");
        (await Http.SendAsync(HttpMethod.Post, "/vectors/index", $$"""{"name":"{{name}}","dimension":2}""", ReadOnlyFixture.Writer)).AssertJson(HttpStatusCode.Created);
        (await Http.SendAsync(HttpMethod.Post, $"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}""", ReadOnlyFixture.Writer))
            .AssertJson(HttpStatusCode.OK);

        foreach (var (method, path, body) in Reads(name))
        {
            foreach (string? token in new[] { ReadOnlyFixture.Writer, ReadOnlyFixture.Reader })
            {
                var reply = await Http.SendAsync(method, path, body, token);
                Assert.True(reply.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{method} {path} with {token}: {(int)reply.Status} {reply.Body}");
                Assert.True(reply.Status == HttpStatusCode.OK, $"{method} {path} with {token}: {(int)reply.Status} {reply.Body}");
            }
            foreach (string? token in new[] { null, "wrong-token" })
            {
                (await Http.SendAsync(method, path, body, token)).AssertProblem(HttpStatusCode.Unauthorized);
            }
        }

        // The read-only token is refused every write, and nothing changes.
        foreach (var (method, path, body, _) in Writes(name, other))
        {
            string detail = (await Http.SendAsync(method, path, body, ReadOnlyFixture.Reader)).AssertProblem(HttpStatusCode.Forbidden);
            Assert.Contains("may only read", detail, StringComparison.Ordinal);
            (await Http.SendAsync(method, path, body, null)).AssertProblem(HttpStatusCode.Unauthorized);
            (await Http.SendAsync(method, path, body, "wrong-token")).AssertProblem(HttpStatusCode.Unauthorized);
        }
        var info = (await Http.SendAsync(HttpMethod.Get, $"/vectors/index/{name}", bearer: ReadOnlyFixture.Reader)).AssertJson(HttpStatusCode.OK);
        Assert.Equal(2, info.GetProperty("length").GetInt32());
        (await Http.SendAsync(HttpMethod.Get, $"/vectors/index/{other}", bearer: ReadOnlyFixture.Reader)).AssertProblem(HttpStatusCode.NotFound);

        // The read-write token may do each of them, in order.
        foreach (var (method, path, body, status) in Writes(name, other))
        {
            var reply = await Http.SendAsync(method, path, body, ReadOnlyFixture.Writer);
            Assert.True(reply.Status == status, $"{method} {path}: expected {(int)status}, got {(int)reply.Status} {reply.Body}");
        }
    }

    [Fact]
    public async Task Whoami_tells_the_token_its_role()
    {
        var writer = (await Http.SendAsync(HttpMethod.Get, "/auth/whoami", bearer: ReadOnlyFixture.Writer)).AssertJson(HttpStatusCode.OK);
        Assert.True(writer.GetProperty("auth").GetBoolean());
        Assert.Equal("read-write", writer.GetProperty("access").GetString());
        var reader = (await Http.SendAsync(HttpMethod.Get, "/auth/whoami", bearer: ReadOnlyFixture.Reader)).AssertJson(HttpStatusCode.OK);
        Assert.Equal("read-only", reader.GetProperty("access").GetString());
        (await Http.SendAsync(HttpMethod.Get, "/auth/whoami")).AssertProblem(HttpStatusCode.Unauthorized);
        // The dashboard's files are open (they hold no data and ask for the token themselves); /health too.
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(HttpMethod.Get, "/dashboard/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(HttpMethod.Get, "/health")).Status);
    }

    [Theory]
    [InlineData("Auth:Tokens:0", "")]
    [InlineData("Auth:Tokens:1", "  ")]
    [InlineData("Auth:ReadOnlyTokens:0", "")]
    public async Task An_empty_token_fails_start_up_with_a_clear_message(string key, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Tokens:0"] = "fine", [key] = value });
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Services.AddVectordGateway(builder.Configuration);
        await using var app = builder.Build();
        app.MapVectordApi();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"{key} is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_both_read_write_and_read_only_fails_start_up()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Tokens:0"] = "same", ["Auth:ReadOnlyTokens:0"] = "same" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Services.AddVectordGateway(builder.Configuration);
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_standalone_gateway_refuses_to_start_with_an_empty_token()
    {
        await using var gateway = HostProcess.Start("gateway", "Vectord.GatewayHost", ["--Cluster:Provider", "localhost", "--Auth:ReadOnlyTokens:0="]);
        Assert.True(await Eventually.HoldsAsync(() => gateway.HasExited, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken),
            $"the gateway kept running:\n{gateway.Describe()}");
        Assert.Contains("Auth:ReadOnlyTokens:0 is empty", gateway.Output, StringComparison.Ordinal);
    }
}
