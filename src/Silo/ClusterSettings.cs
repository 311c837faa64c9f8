using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;

namespace Vectord.Silo;

/// <summary>The <c>Cluster</c> configuration section: how this silo finds the others.</summary>
internal sealed record ClusterSettings(
    string Provider,
    string? ConnectionString,
    int SiloPort,
    int GatewayPort,
    string ClusterId,
    string ServiceId,
    string? AdvertisedHost)
{
    public static ClusterSettings From(IConfiguration configuration)
    {
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
            section["AdvertisedHost"]);
        if (provider == "redis" && string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException("Cluster:ConnectionString is required when Cluster:Provider is 'redis'.");
        }
        return settings;
    }

    public void Apply(ISiloBuilder silo)
    {
        if (Provider == "localhost")
        {
            silo.UseLocalhostClustering(SiloPort, GatewayPort, serviceId: ServiceId, clusterId: ClusterId);
            return;
        }

        silo.UseRedisClustering(ConnectionString!);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.ServiceId = ServiceId;
        });
        // A node advertising a routable address listens on every interface (containers); one advertising
        // loopback (a cluster on one machine) stays on loopback.
        var advertised = ResolveAdvertisedAddress();
        silo.ConfigureEndpoints(advertised, SiloPort, GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Declare a dead silo within a few seconds so its indexes re-activate elsewhere quickly.
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
    }

    private IPAddress ResolveAdvertisedAddress()
    {
        if (!string.IsNullOrWhiteSpace(AdvertisedHost))
        {
            return IPAddress.TryParse(AdvertisedHost, out var ip)
                ? ip
                : Dns.GetHostAddresses(AdvertisedHost).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? IPAddress.Loopback;
    }
}
