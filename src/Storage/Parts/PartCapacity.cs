using Vectord.Hnsw;

namespace Vectord.Storage.Parts;

/// <summary>
/// How much one index part may hold, checked before a write is logged so that a write which cannot be applied is
/// refused (<see cref="IndexFullException"/>, 507) instead of committed: the engine's own limit (no array beyond
/// <see cref="Array.MaxLength"/>), the configured <paramref name="MaxVectorBytes"/> (items × dimension × 4), the
/// memory the node has left for the arrays the part would grow into, and, for a part whose vectors are in a file, the
/// disk space the file grows into (written before the write is logged).
/// </summary>
/// <param name="MaxVectorBytes">Most bytes of vectors one part may hold (<c>Storage:MaxPartVectorBytes</c>).</param>
internal sealed record PartCapacity(long MaxVectorBytes)
{
    /// <summary>The engine's limit alone: 2³¹ floats, about 8 GiB of vectors per part.</summary>
    public const long EngineMaxVectorBytes = 4L * int.MaxValue;

    /// <summary>Refuses <paramref name="batch"/> when the part cannot take it.</summary>
    /// <exception cref="IndexFullException">What limit it would pass.</exception>
    public void Check(HnswIndex index, IReadOnlyList<VectorItem> batch)
    {
        var fresh = batch.Select(item => item.Id).Where(id => !index.Contains(id)).Distinct(StringComparer.Ordinal).Count();
        if (fresh == 0) { return; }
        var dimension = index.Options.VectorLength;
        var items = (long)index.Count + fresh;
        var maxItems = MaxItems(dimension, index.MaxCount);
        if (items > maxItems)
        {
            throw new IndexFullException($"an index part holds at most {maxItems} vectors of dimension {dimension}; it has {index.Count} and this write adds {fresh}");
        }
        var growth = index.GrowthBytes(fresh);
        if (growth == 0)
        {
            index.Reserve(0);   // no growth; only checks that a vector file still holds what is mapped
            return;
        }
        var free = FreeMemory(collect: false);
        if (growth > free) { free = FreeMemory(collect: true); }   // garbage counts as used until collected
        if (growth > free)
        {
            throw new IndexFullException($"this node has not the memory to grow the index part: it needs {growth} bytes and has {Math.Max(free, 0)} free");
        }
        try
        {
            index.Reserve(fresh);   // grown now, so that applying the write once it is logged cannot fail for room
        }
        catch (IOException e) when (e is not VectorFileDamagedException)
        {
            throw new IndexFullException($"this node's disk has not the room to grow the index part's vector file: {e.Message}");
        }
    }

    /// <summary>Refuses a restore that would put <paramref name="items"/> vectors of <paramref name="dimension"/> in one
    /// part, past what a part may hold (the same limit as for writes).</summary>
    /// <exception cref="IndexFullException">The limit and the count.</exception>
    public void CheckRestore(int dimension, long items)
    {
        var maxItems = MaxItems(dimension, Array.MaxLength / Math.Max(dimension, 1));
        if (items > maxItems)
        {
            throw new IndexFullException($"an index part holds at most {maxItems} vectors of dimension {dimension}; the snapshot puts {items} in one");
        }
    }

    /// <summary>Most items of <paramref name="dimension"/> a part may hold: the engine's most, and within the vector
    /// bytes allowed (an index without vectors, of dimension 0, holds none).</summary>
    private long MaxItems(int dimension, long engineMax) => dimension == 0 ? engineMax : Math.Min(engineMax, MaxVectorBytes / (4L * dimension));

    private static long FreeMemory(bool collect) =>
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: collect);
}
