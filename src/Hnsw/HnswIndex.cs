using System.Diagnostics.CodeAnalysis;

namespace Vectord.Hnsw;

/// <summary>
/// An HNSW index (Malkov &amp; Yashunin). Any number of concurrent searches are safe; writes (add, delete, load)
/// must be exclusive: the caller guarantees no other call runs at the same time as a write.
/// </summary>
public sealed class HnswIndex
{
    /// <summary>Creates an empty index.</summary>
    public HnswIndex(HnswOptions options) => throw new NotImplementedException();

    /// <summary>The effective options (defaults applied).</summary>
    public HnswOptions Options => throw new NotImplementedException();

    /// <summary>Number of live (not deleted) items.</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Approximate bytes held by the index (vectors, graph, ids, metadata).</summary>
    public long MemoryBytes => throw new NotImplementedException();

    /// <summary>Checks one vector: returns null when it is acceptable, else a phrase saying what is wrong,
    /// e.g. <c>dim mismatch (index=3, got=2)</c>, <c>non-finite component at 5</c>, <c>zero vector under cosine distance</c>.</summary>
    public string? ValidateVector(ReadOnlySpan<float> vector) => throw new NotImplementedException();

    /// <summary>Adds or replaces (upsert) items; duplicate ids in one batch: the last wins. Validates the whole
    /// batch first and throws <see cref="ArgumentException"/> before changing anything when any item is bad.
    /// Large batches are inserted in parallel on up to <paramref name="maxDegreeOfParallelism"/> threads (-1 = all cores).</summary>
    /// <returns>The number of items applied.</returns>
    public int AddBatch(IReadOnlyList<VectorItem> items, int maxDegreeOfParallelism = -1) => throw new NotImplementedException();

    /// <summary>Deletes an item; returns false when the id is not present.</summary>
    public bool Delete(string id) => throw new NotImplementedException();

    /// <summary>True when the id is present.</summary>
    public bool Contains(string id) => throw new NotImplementedException();

    /// <summary>Looks an item up by id. The vector is as stored (unit-normalised under cosine).</summary>
    public bool TryGet(string id, [NotNullWhen(true)] out VectorItem? item) => throw new NotImplementedException();

    /// <summary>The k nearest live items, by ascending distance. <paramref name="ef"/> ≤ 0 uses the index's EfSearch; at least k is used.</summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef = 0) => throw new NotImplementedException();

    /// <summary>The ids of live items, in internal order (stable between writes).</summary>
    public IReadOnlyList<string> GetIds() => throw new NotImplementedException();

    /// <summary>Writes the index to <paramref name="stream"/> in the versioned binary format, streaming (no whole-image buffer).</summary>
    public void Save(Stream stream) => throw new NotImplementedException();

    /// <summary>Reads an index written by <see cref="Save"/> (any supported format version) without rebuilding the graph.</summary>
    /// <exception cref="HnswFormatException">The input is truncated, corrupted or of an unknown format.</exception>
    public static HnswIndex Load(Stream stream) => throw new NotImplementedException();
}
