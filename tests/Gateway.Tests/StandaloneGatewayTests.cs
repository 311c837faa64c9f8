using System.Globalization;
using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The standalone gateway process: started before its cluster exists, and finding it through Redis.</summary>
public sealed class StandaloneGatewayTests
{
    [Fact]
    public async Task Gateway_answers_503_until_the_cluster_is_up_then_serves_it()
    {
        int siloGateway = FreePort.Next();
        await using var gateway = await HostProcess.StartListeningAsync("gateway", "Vectord.GatewayHost",
            ["--Cluster:Provider", "localhost",
            "--Cluster:GatewayPort", siloGateway.ToString(CultureInfo.InvariantCulture)], TestContext.Current.CancellationToken);
        var http = gateway.Client;

        string detail = (await http.GetReplyAsync("/health")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("cluster", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", detail, StringComparison.Ordinal);   // no address or driver text to clients
        (await http.GetReplyAsync("/vectors/index")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        (await http.PostReplyAsync("/vectors/index", """{"name":"early","dimension":2}""")).AssertProblem(HttpStatusCode.ServiceUnavailable);

        using var data = new TempDirectory("vectord-gw");
        await using var node = await VectordServer.StartAsync(data.Path, gatewayPortOverride: siloGateway);
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        string name = Http.NewName("late");
        await http.CreateIndexAsync(name, 2);
        Assert.Equal([name], await node.Client.NamesAsync());

        // The silo goes away: the gateway stays up and answers 503, never 500. A call the gateway's client sends down
        // the silo's connection before it has seen that connection close can only time out (504: its outcome is
        // unknown to the gateway); a loaded machine makes that window wide. Every call after it is a quick 503.
        await node.DisposeAsync();
        var first = await http.GetReplyAsync($"/vectors/index/{name}");
        Assert.True(first.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"got {(int)first.Status}: {first.Body}");
        first.AssertProblem(first.Status);
        var started = System.Diagnostics.Stopwatch.StartNew();
        (await http.GetReplyAsync($"/vectors/index/{name}")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        (await http.GetReplyAsync("/health")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Gateway_finds_a_redis_clustered_silo()
    {
        await using var redis = await RedisServer.StartAsync(TestContext.Current.CancellationToken);
        using var data = new TempDirectory("vectord-gw");
        await using var node = await VectordServer.StartAsync(data.Path, redisClustering: redis.ConnectionString);
        await using var gateway = await HostProcess.StartListeningAsync("gateway", "Vectord.GatewayHost",
            ["--Cluster:Provider", "redis",
            "--Cluster:ConnectionString", redis.ConnectionString], TestContext.Current.CancellationToken);

        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        string name = Http.NewName("redis");
        await gateway.Client.CreateIndexAsync(name, 2);
        (await gateway.Client.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, await node.Client.LengthAsync(name));
    }

    [Fact]
    public async Task Gateway_stops_cleanly_while_still_connecting()
    {
        await using var gateway = await HostProcess.StartListeningAsync("gateway", "Vectord.GatewayHost",
            ["--Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture)], TestContext.Current.CancellationToken);
        (await gateway.Client.GetReplyAsync("/health")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        int? exitCode = await gateway.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}\n{gateway.Describe()}");
    }
}
