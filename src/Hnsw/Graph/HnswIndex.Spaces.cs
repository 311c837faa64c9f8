using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw;

/// <summary>
/// Named vectors (<see cref="HnswOptions.Vectors"/>): the index is the graph of the first, and holds one companion
/// index for each other, with the same items in the same slots (every write goes to each in the same order, and
/// slots are given out by the same rule) and the same metadata arrays, for its hits; a companion keeps no payload
/// index. The payload and text indexes, quarantine and the items' reads by id, filter and words are the first's: a
/// filtered search by another vector selects its slots there. An add reaches the companions first and the first graph
/// last, a delete the first graph first: an item a read finds in the first graph is in every companion. A read beside
/// an upsert may see an item's named vectors from before and after it, as it may see part of a batch; once the write
/// returns, all agree. Quarantine (of items a later vector rule refuses) is not done per graph: every named vector was
/// written under the present rule.
/// </summary>
public sealed partial class HnswIndex
{
    /// <summary>The graphs of named vectors 1 to n − 1 (none without named vectors).</summary>
    private readonly HnswIndex[] _companions;

    private static HnswIndex[] Companions(HnswOptions options, string? vectorFile)
    {
        if (options.Vectors is not { } vectors)
        {
            return [];
        }
        if (vectorFile is not null)
        {
            throw new ArgumentException("an index with named vectors keeps its vectors on the heap", nameof(vectorFile));
        }
        if ((options.Dimension, options.Distance, options.Quantization) != (vectors[0].Dimension, vectors[0].Distance, vectors[0].Quantization))
        {
            throw new ArgumentException("the options' dimension, distance and quantization must be those of the first named vector", nameof(options));
        }
        var companions = new HnswIndex[vectors.Count - 1];
        for (int i = 1; i < vectors.Count; i++)
        {
            companions[i - 1] = new HnswIndex(options.Space(i), companion: true);
        }
        return companions;
    }

    private HnswIndex(HnswOptions options, bool companion)
        : this(options)
    {
        _companion = companion;
    }

    /// <summary>Applies a checked batch of concatenated vectors: each graph takes its own part of them, the companions
    /// first (see the remarks on this part of the class).</summary>
    private int AddSpaced(IReadOnlyList<VectorItem> items, int maxDegreeOfParallelism)
    {
        for (int c = 0; c < _companions.Length; c++)
        {
            _companions[c].AddOwn(Segments(items, c + 1), maxDegreeOfParallelism);
        }
        return AddOwn(Segments(items, 0), maxDegreeOfParallelism);
    }

    private VectorItem[] Segments(IReadOnlyList<VectorItem> items, int space)
    {
        VectorSpaces vectors = _options.Vectors!;
        var segments = new VectorItem[items.Count];
        for (int j = 0; j < segments.Length; j++)
        {
            segments[j] = items[j] with { Vector = vectors.Segment(items[j].Vector, space).ToArray() };
        }
        return segments;
    }

    /// <summary>Item <paramref name="id"/>'s vectors, concatenated: <paramref name="own"/> then each companion's; null
    /// when a companion lacks it (never, by the order of writes; a read then reports the item missing rather than
    /// invent a vector).</summary>
    private float[]? AllVectors(string id, ReadOnlySpan<float> own)
    {
        var all = new float[_options.VectorLength];
        own.CopyTo(all);
        int at = own.Length;
        foreach (HnswIndex companion in _companions)
        {
            if (!companion.TryCopyVector(id, all.AsSpan(at, companion._dim)))
            {
                return null;
            }
            at += companion._dim;
        }
        return all;
    }

    /// <summary>Copies item <paramref name="id"/>'s vector in this graph into <paramref name="target"/>, as a read;
    /// false when the graph does not hold the item.</summary>
    private bool TryCopyVector(string id, Span<float> target)
    {
        using var reading = _gate.Read();
        if (!_slots.TryGetValue(id, out int slot) || _deleted[slot])
        {
            return false;
        }
        CheckVectorSum(slot);
        VectorOf(slot).CopyTo(target);
        return true;
    }

    /// <summary>The k nearest live items to <paramref name="query"/> by the named vector <paramref name="vector"/>
    /// among those matching <paramref name="filter"/> (all when null), as
    /// <see cref="Search(ReadOnlySpan{float}, int, int, PayloadFilter?, CancellationToken)"/> does by the index's only
    /// (or first) vector.</summary>
    /// <exception cref="ArgumentException">The index has no vector of that name, or the query does not fit it.</exception>
    public SearchHit[] Search(string vector, ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vector);
        int space = _options.Vectors?.IndexOf(vector) ?? -1;
        if (space < 0)
        {
            throw new ArgumentException($"the index has no vector named '{vector}'", nameof(vector));
        }
        if (space == 0)
        {
            return Search(query, k, ef, filter, cancellationToken);
        }
        HnswIndex companion = _companions[space - 1];
        if (filter is null)
        {
            return companion.Search(query, k, ef);
        }
        if (companion._own.CheckQuery(query) is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }
        // The filter is the first graph's to evaluate (its payload and text indexes); its slots are the companion's.
        SlotSet matches = Select(filter, cancellationToken, out var reading);
        using var read = reading;
        using var companionReading = companion._gate.Read();
        return companion.SearchAmong(query, k, ef, matches, null, out _);
    }

    /// <summary>What the companions hold beyond the metadata they share with this index.</summary>
    private long CompanionMemoryBytes()
    {
        long bytes = 0;
        foreach (HnswIndex companion in _companions)
        {
            bytes += companion.OwnMemoryBytes - companion._metadataBytes - (24L * companion._metadataCount);
        }
        return bytes;
    }
}
