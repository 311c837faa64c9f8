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
        await using var gateway = await GatewayProcess.StartAsync(
            "--Cluster:Provider", "localhost",
            "--Cluster:GatewayPort", siloGateway.ToString(CultureInfo.InvariantCulture));
        var http = gateway.Client;

        Assert.Contains("cluster", (await http.GetReplyAsync("/health")).AssertProblem(HttpStatusCode.ServiceUnavailable),
            StringComparison.Ordinal);
        (await http.GetReplyAsync("/vectors/index")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        (await http.PostReplyAsync("/vectors/index", """{"name":"early","dimension":2}""")).AssertProblem(HttpStatusCode.ServiceUnavailable);

        using var data = new TempDirectory("vectord-gw");
        await using var node = await VectordServer.StartAsync(data.Path, gatewayPortOverride: siloGateway);
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30));

        string name = Http.NewName("late");
        await http.CreateIndexAsync(name, 2);
        Assert.Equal([name], await node.Client.NamesAsync());
    }

    [Fact]
    public async Task Gateway_finds_a_redis_clustered_silo()
    {
        await using var redis = await RedisServer.StartAsync(TestContext.Current.CancellationToken);
        using var data = new TempDirectory("vectord-gw");
        await using var node = await VectordServer.StartAsync(data.Path, redisClustering: redis.ConnectionString);
        await using var gateway = await GatewayProcess.StartAsync(
            "--Cluster:Provider", "redis",
            "--Cluster:ConnectionString", redis.ConnectionString);

        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30));

        string name = Http.NewName("redis");
        await gateway.Client.CreateIndexAsync(name, 2);
        (await gateway.Client.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,2]}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, await node.Client.LengthAsync(name));
    }
}
