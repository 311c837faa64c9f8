using Vectord.Gateway.Infrastructure;
using Vectord.Gateway.Json;
using Vectord.Gateway.Apis;

namespace Vectord.Gateway.Operations;

/// <summary>
/// The cluster as the operator sees it: the membership (from the management grain), what each silo holds and
/// has done (one <see cref="ISiloStatsGrain"/> call per silo), and index summaries a page at a time, each read
/// from its own grain on the server side so that a browser never makes one request per index.
/// </summary>
public sealed class ClusterView(IGrainFactory grains, IndexGrains indexes)
{
    /// <summary>Largest page of index summaries.</summary>
    public const int MaxPage = 500;

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_deadShown = TimeSpan.FromMinutes(10);

    /// <summary>Every silo not long dead, with its parts and counters, and the cluster's totals.</summary>
    public async Task<ClusterSilosResponse> SilosAsync()
    {
        var (silos, _, bounds) = await GatherAsync();
        string[] names = await Catalog().WaitAsync(s_callTimeout);
        return new ClusterSilosResponse(silos, names.Length, silos.Where(s => s.Status == "active").Sum(s => s.Vectors), bounds);
    }

    /// <summary>One page of index summaries: names after <paramref name="after"/> (ordinal), containing
    /// <paramref name="query"/> (case-insensitive) when given.</summary>
    public async Task<IndexSummaryPage> IndexesAsync(string? after, int limit, string? query)
    {
        limit = limit <= 0 ? 100 : Math.Min(limit, MaxPage);
        IEnumerable<string> names = await Catalog().WaitAsync(s_callTimeout);
        if (!string.IsNullOrEmpty(query))
        {
            names = names.Where(n => n.Contains(query, StringComparison.OrdinalIgnoreCase));
        }
        string[] matching = [.. names];
        int start = 0;
        if (after is not null)
        {
            int at = Array.BinarySearch(matching, after, StringComparer.Ordinal);
            start = at >= 0 ? at + 1 : ~at;
        }
        string[] page = matching[start..Math.Min(matching.Length, start + limit)];
        // Reading an index loads it, so where the indexes live is asked afterwards.
        IndexSummary[] summaries = await Task.WhenAll(page.Select(SummaryAsync));
        var (_, holders, _) = await GatherAsync();
        summaries = [.. summaries.Select(s => holders.TryGetValue(s.Name, out var silos) ? s with { Silos = [.. silos] } : s)];
        string? next = start + page.Length < matching.Length && page.Length > 0 ? page[^1] : null;
        return new IndexSummaryPage(summaries, next, matching.Length);
    }

    private Task<string[]> Catalog() => grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync();

    private async Task<IndexSummary> SummaryAsync(string name)
    {
        string[] silos = [];
        try
        {
            IndexInfo info = await indexes.Index(name).GetInfoAsync().WaitAsync(s_callTimeout);
            return new IndexSummary(name, IndexesApi.ToParams(info), info.Length, silos, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new IndexSummary(name, null, null, silos, Describe(e));
        }
    }

    /// <summary>Asks every live silo for its report; returns the silo summaries and, per index, who holds it.</summary>
    private async Task<(SiloSummary[] Silos, Dictionary<string, List<string>> Holders, double[] Bounds)> GatherAsync()
    {
        var membership = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(s_callTimeout);
        DateTime now = DateTime.UtcNow;
        var shown = membership
            .Where(m => m.Status != SiloStatus.Dead || now - m.IAmAliveTime < s_deadShown)
            .OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .ToArray();
        var reports = await Task.WhenAll(shown.Select(async m =>
        {
            if (m.Status is SiloStatus.Dead or SiloStatus.None or SiloStatus.Created)
            {
                return (Entry: m, Stats: (SiloStats?)null, Error: (string?)null);
            }
            try
            {
                SiloStats stats = await grains.GetGrain<ISiloStatsGrain>(m.SiloAddress.ToParsableString())
                    .GetStatsAsync().WaitAsync(s_callTimeout);
                return (m, stats, null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return (m, null, Describe(e));
            }
        }));

        var holders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var silos = new SiloSummary[reports.Length];
        for (int i = 0; i < reports.Length; i++)
        {
            var (entry, stats, error) = reports[i];
            string address = entry.SiloAddress.ToParsableString();
            PartStats[] parts = stats?.Parts ?? [];
            foreach (PartStats part in parts)
            {
                if (!holders.TryGetValue(part.Index, out var list))
                {
                    holders[part.Index] = list = [];
                }
                if (!list.Contains(address))
                {
                    list.Add(address);
                }
            }
            silos[i] = new SiloSummary(address, entry.SiloName ?? "", StatusName(entry.Status), parts.Length,
                parts.Sum(p => p.Vectors), parts.Sum(p => p.Bytes), stats?.MemoryBytes ?? 0, stats?.ItemsAdded ?? 0,
                stats?.SearchLatencyCounts ?? [], error);
        }
        double[] bounds = reports.Select(r => r.Stats?.SearchLatencyBounds).FirstOrDefault(b => b is not null) ?? [];
        return (silos, holders, bounds);
    }

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Joining => "joining",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Describe(Exception e)
    {
        var (status, _, detail) = VectordExceptionHandler.Map(e);
        return status != 0 ? detail : e is TimeoutException ? "did not answer in time" : e.Message;
    }
}
