using Vectord.Storage.Items;

namespace Vectord.Grains.Merge;

/// <summary>
/// Hybrid search over an index's parts: each hybrid search is split into its two halves, the nearest items and the
/// best keyword matches, each of at least <see cref="IndexLimits.HybridCandidates"/>; the parts answer the halves
/// like any other searches (merged over the parts by <see cref="FanIn"/>); the two whole-index lists are then fused
/// into one, by reciprocal rank or by weighted, min–max scaled scores (<see cref="FusionKind"/>).
/// </summary>
internal static class RankFusion
{
    /// <summary>The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item at rank r of
    /// a list scores 1 / (60 + r).</summary>
    public const int RrfConstant = 60;

    /// <summary>The searches the parts run for <paramref name="queries"/>: each hybrid search as two (its nearest
    /// items, then its keyword matches), the others as they are.</summary>
    public static SearchQuery[] Split(SearchQuery[] queries)
    {
        if (!queries.Any(TextRules.IsHybrid)) { return queries; }
        var split = new List<SearchQuery>(queries.Length + 1);
        foreach (var query in queries)
        {
            if (!TextRules.IsHybrid(query))
            {
                split.Add(query);
                continue;
            }
            int candidates = Math.Max(query.K, IndexLimits.HybridCandidates);
            split.Add(query with { Text = null, K = candidates, Ef = query.Ef is > 0 ? Math.Max(query.Ef.Value, candidates) : null });
            split.Add(query with { Vector = [], K = candidates });
        }
        return [.. split];
    }

    /// <summary>The answers to <paramref name="queries"/> from the answers to their <see cref="Split"/>: each hybrid
    /// search's two lists fused into its k best.</summary>
    public static SearchHit[][] Join(SearchQuery[] queries, SearchHit[][] answers)
    {
        if (answers.Length == queries.Length) { return answers; }
        var joined = new SearchHit[queries.Length][];
        int next = 0;
        for (int i = 0; i < queries.Length; i++)
        {
            joined[i] = TextRules.IsHybrid(queries[i])
                ? Fuse(answers[next++], answers[next++], queries[i])
                : answers[next++];
        }
        return joined;
    }

    /// <summary>The k best of two ranked lists by the query's fusion: <paramref name="nearest"/> by ascending distance,
    /// <paramref name="keyword"/> by descending BM25 score. A hit carries the fused score, and its distance when it
    /// was among the nearest (else NaN). Ties go to the lower id.</summary>
    public static SearchHit[] Fuse(SearchHit[] nearest, SearchHit[] keyword, SearchQuery query)
    {
        var fused = new Dictionary<string, (double Score, SearchHit Hit)>(StringComparer.Ordinal);
        if (query.Fusion == FusionKind.Weighted)
        {
            double alpha = query.Alpha ?? 0.5;
            Add(fused, nearest, Scaled(nearest, h => -h.Distance), alpha, keepDistance: true);
            Add(fused, keyword, Scaled(keyword, h => h.Score ?? 0), 1 - alpha, keepDistance: false);
        }
        else
        {
            Add(fused, nearest, Reciprocal(nearest.Length), 1, keepDistance: true);
            Add(fused, keyword, Reciprocal(keyword.Length), 1, keepDistance: false);
        }
        return [.. fused.Values
            .OrderByDescending(e => e.Score).ThenBy(e => e.Hit.Id, StringComparer.Ordinal)
            .Take(query.K)
            .Select(e => e.Hit with { Score = (float)e.Score })];
    }

    private static void Add(Dictionary<string, (double Score, SearchHit Hit)> fused, SearchHit[] list, double[] scores, double weight, bool keepDistance)
    {
        for (int i = 0; i < list.Length; i++)
        {
            var hit = list[i];
            if (fused.TryGetValue(hit.Id, out var seen))
            {
                fused[hit.Id] = (seen.Score + (weight * scores[i]), seen.Hit);
            }
            else
            {
                fused[hit.Id] = (weight * scores[i], keepDistance ? hit with { Score = null } : hit with { Distance = float.NaN, Score = null });
            }
        }
    }

    private static double[] Reciprocal(int count)
    {
        var scores = new double[count];
        for (int rank = 1; rank <= count; rank++) { scores[rank - 1] = 1.0 / (RrfConstant + rank); }
        return scores;
    }

    /// <summary>Each hit's value scaled to 0–1 over the list (min–max); all 1 when they are equal.</summary>
    private static double[] Scaled(SearchHit[] list, Func<SearchHit, double> value)
    {
        var scores = list.Select(value).ToArray();
        if (scores.Length == 0) { return scores; }
        double min = scores.Min(), max = scores.Max();
        for (int i = 0; i < scores.Length; i++) { scores[i] = max > min ? (scores[i] - min) / (max - min) : 1; }
        return scores;
    }
}
