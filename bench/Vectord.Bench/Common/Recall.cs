using System.Globalization;
using Vectord.Hnsw;

namespace Vectord.Bench.Common;

/// <summary>Recall of approximate results against exact ones.</summary>
internal static class Recall
{
    /// <summary>Mean over queries of |found ∩ true| / k, where found are the ids of the first k hits (ids are base
    /// indices written in invariant decimal) and true the first k exact indices.</summary>
    public static double AtK(IReadOnlyList<Hnsw.SearchHit[]> found, IReadOnlyList<int[]> truth, int k)
    {
        if (found.Count != truth.Count)
        {
            throw new ArgumentException($"{found.Count} result lists for {truth.Count} queries", nameof(found));
        }
        if (found.Count == 0)
        {
            return 0;
        }
        var expected = new HashSet<int>(k);
        long matches = 0;
        for (var q = 0; q < found.Count; q++)
        {
            expected.Clear();
            foreach (var index in truth[q].Take(k))
            {
                expected.Add(index);
            }
            foreach (var hit in found[q].Take(k))
            {
                if (int.TryParse(hit.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && expected.Remove(index))
                {
                    matches++;
                }
            }
        }
        return (double)matches / ((long)found.Count * k);
    }
}
