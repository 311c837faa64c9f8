using System.Diagnostics;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Shards;
using Vectord.Hnsw;
using Vectord.Storage.Items;

namespace Vectord.Grains.Items;

/// <summary>How a search or a batch of searches is checked and run over an index's parts, for every grain that
/// answers one (the index grain, and the readers of a replicated index): the same rules, time limit and metrics.</summary>
internal static class SearchRun
{
    /// <summary>Checks a batch of searches whole: 1 to <see cref="SearchQuery.MaxBatch"/> of them, each by
    /// <see cref="ItemRules.CheckSearch"/> (named <c>searches[i]</c> in errors, or not at all when
    /// <paramref name="lone"/>), their filters within one budget.</summary>
    /// <exception cref="InvalidIndexArgumentException">What is wrong, naming the search.</exception>
    public static SearchQuery[] Check(SearchQuery[]? queries, HnswOptions options, bool lone)
    {
        if (queries is null || queries.Length == 0) { throw new InvalidIndexArgumentException("searches must be non-empty"); }
        if (queries.Length > SearchQuery.MaxBatch)
        {
            throw new InvalidIndexArgumentException($"searches: more than {SearchQuery.MaxBatch} in one call (split the batch)");
        }
        var checkedQueries = new SearchQuery[queries.Length];
        for (var i = 0; i < queries.Length; i++) { checkedQueries[i] = ItemRules.CheckSearch(queries[i], options, at: lone ? null : $"searches[{i}]"); }
        FilterRules.ThrowIfOverBudget(checkedQueries.Select(q => q.Filter), "searches");
        return checkedQueries;
    }

    /// <summary>Runs checked searches over <paramref name="parts"/> within the filters' time <paramref name="limit"/>
    /// (a hybrid search as its two halves, fused once the parts have answered, see <see cref="Merge.RankFusion"/>),
    /// and records the duration.</summary>
    public static async Task<SearchHit[][]> RunAsync(IndexParts parts, SearchQuery[] checkedQueries, TimeSpan limit, IndexMetrics metrics,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var halves = Merge.RankFusion.Split(checkedQueries);
        var hits = await FilterTimeLimit.RunAsync(limit, token => parts.SearchAsync(halves, token), cancellationToken);
        metrics.SearchCompleted(Stopwatch.GetElapsedTime(started));
        return Merge.RankFusion.Join(checkedQueries, hits);
    }
}
