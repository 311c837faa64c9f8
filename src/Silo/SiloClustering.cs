using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Vectord.Clustering;

namespace Vectord.Silo;

/// <summary>How a silo joins the cluster named by its <see cref="ClusterSettings"/>.</summary>
internal static class SiloClustering
{
    /// <summary>Localhost clustering, or Redis membership with this node's endpoints and fast failure detection.</summary>
    public static void UseVectordClustering(this ISiloBuilder silo, ClusterSettings cluster)
    {
        if (cluster.Tls is not null) { silo.UseTls(cluster.Tls.Configure); }
        if (cluster.Provider == "localhost")
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            return;
        }

        silo.UseRedisClustering(cluster.ConnectionString!);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });

        // The Orleans ports listen only on the address the node advertises, never on every interface.
        var advertised = ResolveAdvertisedAddress(cluster.AdvertisedHost);
        silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
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

    private static IPAddress ResolveAdvertisedAddress(string? advertisedHost)
    {
        if (!string.IsNullOrWhiteSpace(advertisedHost))
        {
            return IPAddress.TryParse(advertisedHost, out var ip)
                ? ip
                : Dns.GetHostAddresses(advertisedHost).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? IPAddress.Loopback;
    }
}
