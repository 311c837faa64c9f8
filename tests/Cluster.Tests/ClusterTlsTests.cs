using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>
/// Mutual TLS on the Orleans ports: a cluster whose nodes hold the cluster certificate admits a gateway and a silo
/// that hold it, and neither a gateway nor a silo without it (or with another certificate) can call or join.
/// </summary>
public sealed class ClusterTlsTests : IDisposable
{
    private const string Password = "cluster-secret";
    private readonly TempDirectory _dir = new("vectord-tls");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Only_holders_of_the_cluster_certificate_can_call_or_join()
    {
        var ct = TestContext.Current.CancellationToken;
        var clusterCert = WriteCertificate("cluster.pfx");
        var otherCert = WriteCertificate("other.pfx");
        await using var redis = await RedisServer.StartAsync(ct);
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        string[] ClusterArgs(string? certificate) =>
        [
            "--Cluster:Provider=redis", $"--Cluster:ConnectionString={redis.ConnectionString}", $"--Cluster:ClusterId={clusterId}",
            .. certificate is null ? Array.Empty<string>() : [$"--Cluster:Tls:CertificatePath={certificate}", $"--Cluster:Tls:CertificatePassword={Password}"],
        ];
        string[] SiloArgs(string? certificate) =>
        [
            .. ClusterArgs(certificate), $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}",
            "--Cluster:AdvertisedHost=127.0.0.1", $"--Storage:Path={_dir.Combine("data")}", "--Storage:PreloadIndexes=false",
        ];

        await using var silo = HostProcess.Start("silo-tls", "Vectord.Silo", SiloArgs(clusterCert));
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        await using var trusted = HostProcess.Start("gateway-tls", "Vectord.GatewayHost", ClusterArgs(clusterCert));
        await using var plain = HostProcess.Start("gateway-plain", "Vectord.GatewayHost", ClusterArgs(null));
        await using var stranger = HostProcess.Start("gateway-other", "Vectord.GatewayHost", ClusterArgs(otherCert));
        await using var intruder = HostProcess.Start("silo-plain", "Vectord.Silo", SiloArgs(null));
        await using var member = HostProcess.Start("silo-member", "Vectord.Silo", SiloArgs(clusterCert));

        // The gateway holding the certificate connects and calls; so does a second silo holding it, which joins.
        await trusted.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        using (var created = await trusted.Client.PostAsJsonAsync("vectors/index", new { name = "guarded", dimension = 2 }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        await member.WaitHealthyAsync(TimeSpan.FromSeconds(90), ct);
        Assert.True(await Eventually.HoldsAsync(async () => (await ActiveSilosAsync(silo, ct)).Count == 2, TimeSpan.FromSeconds(60), ct),
            "the member silo was not active within 60 s");

        // The others never get in: for 15 s their every call is refused, and the cluster's active silos stay the two
        // holders of the certificate (the intruder is not among them).
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            foreach (var outsider in new[] { plain, stranger })
            {
                using var drop = await outsider.Client.DeleteAsync("vectors/index/guarded", ct);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, drop.StatusCode);
                using var health = await outsider.Client.GetAsync("health", ct);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }
            Assert.Equal(2, (await ActiveSilosAsync(silo, ct)).Count);
            await Task.Delay(1000, ct);
        }
        using var intruderHealth = await intruder.Client.GetAsync("health", ct).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, ct);
        Assert.True(intruder.HasExited || intruderHealth?.StatusCode != HttpStatusCode.OK, "a silo without the certificate became healthy");

        // The index is still there.
        using var info = await trusted.Client.GetAsync("vectors/index/guarded", ct);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
    }

    /// <summary>A self-signed certificate for client and server authentication, written as a PKCS#12 file.</summary>
    private string WriteCertificate(string fileName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=vectord-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = _dir.Combine(fileName);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    private static async Task<List<string>> ActiveSilosAsync(HostProcess silo, CancellationToken ct)
    {
        var view = await silo.Client.GetFromJsonAsync<JsonElement>("cluster/silos", ct);
        return [.. view.GetProperty("silos").EnumerateArray()
            .Where(s => s.GetProperty("status").GetString() == "active")
            .Select(s => s.GetProperty("address").GetString()!)];
    }
}
