using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A standalone gateway (an Orleans client with no storage of its own) takes, downloads and restores
/// snapshots: their bytes flow through grain calls.</summary>
public sealed class StandaloneSnapshotTests
{
    [Fact]
    public async Task A_standalone_gateway_takes_downloads_and_restores_a_snapshot()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("vectord-gw");
        int siloGateway = FreePort.Next();
        await using var node = await VectordServer.StartAsync(data.Path, gatewayPortOverride: siloGateway);
        await using var gateway = await HostProcess.StartListeningAsync("gateway", "Vectord.GatewayHost",
            ["--Cluster:Provider", "localhost", "--Cluster:GatewayPort", siloGateway.ToString(CultureInfo.InvariantCulture)], cancel);
        await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(30), cancel);
        var http = gateway.Client;

        string name = Http.NewName("standalone");
        (await http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":3,"distance":"euclidean","shards":2}"""))
            .AssertJson(HttpStatusCode.Created);
        (await http.PostReplyAsync($"/vectors/index/{name}/add",
            """{"items":[{"id":"a","vector":[1,0,0],"metadata":{"k":1}},{"id":"b","vector":[0,1,0]},{"id":"c","vector":[0,0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        var created = (await http.PostReplyAsync($"/vectors/index/{name}/snapshots", null)).AssertJson(HttpStatusCode.Created);
        string snapshot = created.GetProperty("name").GetString()!;

        byte[] file = await http.GetByteArrayAsync($"/vectors/index/{name}/snapshots/{snapshot}", cancel);
        Assert.Equal(created.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(file)));

        string copy = Http.NewName("standalone-copy");
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var restored = await http.PostAsync($"/vectors/snapshots/restore?index={copy}&shards=1", content, cancel);
        Assert.Equal(HttpStatusCode.Created, restored.StatusCode);
        var item = (await node.Client.GetReplyAsync($"/vectors/index/{copy}/items/a")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("""{"k":1}""", item.GetProperty("metadata").GetRawText());
        Assert.Equal(3, await http.LengthAsync(copy));
    }
}
