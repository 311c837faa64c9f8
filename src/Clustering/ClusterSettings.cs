using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Vectord.Clustering;

/// <summary>
/// The <c>Cluster</c> configuration section, read the same way by silos and by the standalone gateway:
/// <c>Provider</c> (<c>localhost</c> | <c>redis</c>), <c>ConnectionString</c> (Redis), <c>SiloPort</c>,
/// <c>GatewayPort</c>, <c>ClusterId</c>, <c>ServiceId</c>, <c>AdvertisedHost</c> and <c>Tls</c> (<see cref="ClusterTls"/>).
/// </summary>
/// <param name="Provider">Membership provider, lower case.</param>
/// <param name="ConnectionString">Redis connection string (required for <c>redis</c>).</param>
/// <param name="SiloPort">Orleans silo-to-silo port.</param>
/// <param name="GatewayPort">Orleans client (gateway) port.</param>
/// <param name="ClusterId">Orleans cluster id.</param>
/// <param name="ServiceId">Orleans service id.</param>
/// <param name="AdvertisedHost">Address other silos reach this one at; null = the host's IPv4 address.</param>
/// <param name="Tls">Mutual TLS on the Orleans ports (<c>Cluster:Tls</c>); null = plain TCP.</param>
public sealed record ClusterSettings(
    string Provider,
    string? ConnectionString,
    int SiloPort,
    int GatewayPort,
    string ClusterId,
    string ServiceId,
    string? AdvertisedHost,
    ClusterTls? Tls)
{
    /// <summary>Reads and validates the section.</summary>
    /// <exception cref="InvalidOperationException">An unknown provider, or <c>redis</c> without a connection string.</exception>
    public static ClusterSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Cluster");
        var provider = (section["Provider"] ?? "localhost").Trim().ToLowerInvariant();
        if (provider is not ("localhost" or "redis"))
        {
            throw new InvalidOperationException($"Cluster:Provider must be 'localhost' or 'redis', not '{provider}'.");
        }
        var settings = new ClusterSettings(
            provider,
            section["ConnectionString"],
            section.GetValue("SiloPort", 11111),
            section.GetValue("GatewayPort", 30000),
            section["ClusterId"] ?? "vectord",
            section["ServiceId"] ?? "vectord",
            section["AdvertisedHost"],
            ClusterTls.From(section.GetSection("Tls")));
        if (provider == "redis" && string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException("Cluster:ConnectionString is required when Cluster:Provider is 'redis'.");
        }
        return settings;
    }

    /// <summary>Points an Orleans client at the cluster: Redis membership, or the local silo's gateway port.</summary>
    public void Apply(IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Tls is not null) { client.UseTls(Tls.Configure); }
        if (Provider == "localhost")
        {
            client.UseLocalhostClustering(GatewayPort, ServiceId, ClusterId);
            return;
        }
        client.UseRedisClustering(ConnectionString!);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.ServiceId = ServiceId;
        });
    }
}
