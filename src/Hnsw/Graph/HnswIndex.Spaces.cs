using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw;

/// <summary>
/// Named vectors (<see cref="HnswOptions.Vectors"/>): the index is the graph of the first, and holds one companion
/// index for each other, with the same items in the same slots (every write goes to each in the same order, and
/// slots are given out by the same rule) and the same metadata arrays, for its filters. The text index, quarantine
/// and the items' reads by id, filter and words are the first's. A read beside a write may see an item's named
/// vectors from before and after that write, as it may see part of a batch; once the write returns, all agree.
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
            companions[i - 1] = new HnswIndex(options.Space(i));
        }
        return companions;
    }

    /// <summary>Applies a checked batch of concatenated vectors: each graph takes its own part of them.</summary>
    private int AddSpaced(IReadOnlyList<VectorItem> items, int maxDegreeOfParallelism)
    {
        int applied = AddOwn(Segments(items, 0), maxDegreeOfParallelism);
        for (int c = 0; c < _companions.Length; c++)
        {
            _companions[c].AddOwn(Segments(items, c + 1), maxDegreeOfParallelism);
        }
        return applied;
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

    /// <summary>Item <paramref name="id"/>'s vectors, concatenated: <paramref name="own"/> then each companion's.</summary>
    private float[] AllVectors(string id, ReadOnlySpan<float> own)
    {
        var all = new float[_options.VectorLength];
        own.CopyTo(all);
        int at = own.Length;
        foreach (HnswIndex companion in _companions)
        {
            // Written with this index, in the same call: present unless a write is removing it at this moment.
            if (companion.TryGet(id, out var item))
            {
                item.Vector.CopyTo(all, at);
            }
            at += companion._dim;
        }
        return all;
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
        return space == 0
            ? Search(query, k, ef, filter, cancellationToken)
            : _companions[space - 1].Search(query, k, ef, filter, cancellationToken);
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
