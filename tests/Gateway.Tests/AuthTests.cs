using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A co-hosted node with two tokens, and the standalone gateway process in front of its silo.</summary>
public sealed class AuthFixture() : NodeFixture(new()
{
    ["Auth:Tokens:0"] = TokenA,
    ["Auth:Tokens:1"] = TokenB,
})
{
    public const string TokenA = "first-token-0123456789";
    public const string TokenB = "second";

    public HostProcess Gateway { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Gateway = await HostProcess.StartListeningAsync("gateway", "Vectord.GatewayHost",
            ["--Cluster:Provider", "localhost",
            "--Cluster:GatewayPort", Server.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Auth:Tokens:0", TokenA,
            "--Auth:Tokens:1", TokenB], TestContext.Current.CancellationToken);
        await Gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

public sealed class AuthTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    public static TheoryData<string> Nodes() => ["co-hosted", "standalone"];

    private HttpClient Client(string node) => node == "standalone" ? fixture.Gateway.Client : fixture.Server.Client;

    [Theory]
    [MemberData(nameof(Nodes))]
    public async Task Every_route_but_health_needs_a_valid_token(string node)
    {
        var http = Client(node);
        string[] paths = ["/vectors/index", "/vectors/index/some-index", "/metrics", "/openapi/v1.json", "/scalar", "/nowhere"];
        foreach (string path in paths)
        {
            var missing = await http.SendAsync(HttpMethod.Get, path);
            missing.AssertProblem(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
            (await http.SendAsync(HttpMethod.Get, path, bearer: "wrong")).AssertProblem(HttpStatusCode.Unauthorized);
            (await http.SendAsync(HttpMethod.Get, path, bearer: AuthFixture.TokenA + "x")).AssertProblem(HttpStatusCode.Unauthorized);
            (await http.SendAsync(HttpMethod.Get, path, bearer: AuthFixture.TokenA[..^1])).AssertProblem(HttpStatusCode.Unauthorized);
        }
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/vectors/index");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic " + AuthFixture.TokenA);
        using var basicResponse = await http.SendAsync(basic, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, basicResponse.StatusCode);

        (await http.SendAsync(HttpMethod.Post, "/vectors/index", """{"name":"unauthorized-create","dimension":2}"""))
            .AssertProblem(HttpStatusCode.Unauthorized);
        var names = (await http.SendAsync(HttpMethod.Get, "/vectors/index", bearer: AuthFixture.TokenB)).AssertJson(HttpStatusCode.OK);
        Assert.DoesNotContain("unauthorized-create", names.GetProperty("names").EnumerateArray().Select(e => e.GetString()));

        (await http.SendAsync(HttpMethod.Get, "/health")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(HttpMethod.Get, "/metrics", bearer: AuthFixture.TokenA)).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(HttpMethod.Get, "/openapi/v1.json", bearer: AuthFixture.TokenB)).Status);
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public async Task Either_token_gives_full_access(string node)
    {
        var http = Client(node);
        string name = Http.NewName(node);
        (await http.SendAsync(HttpMethod.Post, "/vectors/index", $$"""{"name":"{{name}}","dimension":2,"distance":"euclidean"}""", AuthFixture.TokenA))
            .AssertJson(HttpStatusCode.Created);
        (await http.SendAsync(HttpMethod.Post, $"/vectors/index/{name}/add", """{"items":[{"id":"p","vector":[1,2],"metadata":[1, 2]}]}""", AuthFixture.TokenB))
            .AssertJson(HttpStatusCode.OK);
        var search = await http.SendAsync(HttpMethod.Post, $"/vectors/index/{name}/search", """{"vector":[1,2]}""", AuthFixture.TokenA);
        search.AssertJson(HttpStatusCode.OK);
        Assert.Contains("\"metadata\":[1, 2]", search.Body, StringComparison.Ordinal);

        // Both nodes serve the same cluster: what one wrote, the other reads.
        var otherNode = node == "standalone" ? fixture.Server.Client : fixture.Gateway.Client;
        var item = (await otherNode.SendAsync(HttpMethod.Get, $"/vectors/index/{name}/items/p", bearer: AuthFixture.TokenB)).AssertJson(HttpStatusCode.OK);
        Assert.Equal("p", item.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(HttpMethod.Delete, $"/vectors/index/{name}", bearer: AuthFixture.TokenB)).Status);
        (await otherNode.SendAsync(HttpMethod.Get, $"/vectors/index/{name}", bearer: AuthFixture.TokenA)).AssertProblem(HttpStatusCode.NotFound);
    }
}
