namespace Vectord.Grains.Merge;

/// <summary>Combines the answers of an index's parts into the answer of the whole index.</summary>
internal static class FanIn
{
    /// <summary>The k best of the parts' hits: by descending score for a keyword search's hits (which have one), else
    /// by ascending distance; ties by id, so the order is stable.</summary>
    public static SearchHit[] Nearest(SearchHit[][] perPart, int k)
    {
        if (perPart.Length == 1) { return perPart[0]; }
        var all = perPart.SelectMany(h => h).ToArray();
        Array.Sort(all, static (a, b) => Rank(a) != Rank(b) ? Rank(a).CompareTo(Rank(b)) : string.CompareOrdinal(a.Id, b.Id));
        return all.Length <= k ? all : all[..k];
    }

    private static float Rank(SearchHit hit) => hit.Score is { } score ? -score : hit.Distance;

    /// <summary>The first <paramref name="limit"/> items, in id order, of the parts' pages (each a page of its own part
    /// after the same cursor), and the cursor of the next page.</summary>
    public static ItemPage Page(ItemPage[] perPart, int limit)
    {
        if (perPart.Length == 1) { return perPart[0]; }
        var (taken, next) = Take(perPart.Select(p => (p.Items, p.Next)).ToArray(), limit, static i => i.Id);
        return new ItemPage([.. taken], next);
    }

    /// <summary>As <see cref="Page"/>, for merge pages with their fingerprints.</summary>
    public static MergePage Export(MergePage[] perPart, int limit)
    {
        if (perPart.Length == 1) { return perPart[0]; }
        var zipped = perPart.Select(p => (p.Items.Zip(p.Fingerprints).ToArray(), p.Next)).ToArray();
        var (taken, next) = Take(zipped, limit, static e => e.First.Id);
        return new MergePage([.. taken.Select(e => e.First)], [.. taken.Select(e => e.Second)], next);
    }

    private static (List<T> Taken, string? Next) Take<T>((T[] Items, string? Next)[] pages, int limit, Func<T, string> id)
    {
        var all = pages.SelectMany(p => p.Items).ToList();
        all.Sort((a, b) => string.CompareOrdinal(id(a), id(b)));
        var taken = all.Count <= limit ? all : all.GetRange(0, limit);
        var more = all.Count > limit || pages.Any(p => p.Next is not null);
        return (taken, more && taken.Count > 0 ? id(taken[^1]) : null);
    }
}
