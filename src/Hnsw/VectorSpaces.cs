using System.Collections;
using System.Globalization;

namespace Vectord.Hnsw;

/// <summary>One named vector of an index with several (<see cref="HnswOptions.Vectors"/>): its own dimension, distance
/// and quantization, and its own graph.</summary>
/// <param name="Name">The vector's name, unique in the index.</param>
/// <param name="Dimension">Its length, at least 1.</param>
/// <param name="Distance">Its distance function.</param>
/// <param name="Quantization">How its graph search compresses it.</param>
public sealed record VectorSpace(string Name, int Dimension, DistanceKind Distance = DistanceKind.Cosine,
    QuantizationKind Quantization = QuantizationKind.None);

/// <summary>
/// The named vectors of an index, in order, compared by value. Every item carries each of them; the engine takes them
/// as one vector, their concatenation in this order (<see cref="Concat"/>, <see cref="Segment"/>), and keeps each in
/// a graph of its own.
/// </summary>
public sealed class VectorSpaces : IReadOnlyList<VectorSpace>, IEquatable<VectorSpaces>
{
    private readonly VectorSpace[] _spaces;
    private readonly int[] _offsets;

    /// <summary>Takes <paramref name="spaces"/>, at least one, with distinct non-empty names and positive dimensions.</summary>
    /// <exception cref="ArgumentException">They are none, or one is invalid, or two share a name.</exception>
    public VectorSpaces(IEnumerable<VectorSpace> spaces)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        _spaces = [.. spaces];
        if (_spaces.Length == 0)
        {
            throw new ArgumentException("an index with named vectors has at least one", nameof(spaces));
        }
        _offsets = new int[_spaces.Length + 1];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _spaces.Length; i++)
        {
            VectorSpace space = _spaces[i] ?? throw new ArgumentException($"vector {i} is missing", nameof(spaces));
            if (string.IsNullOrEmpty(space.Name) || !names.Add(space.Name))
            {
                throw new ArgumentException($"vector {i}: its name is empty or taken", nameof(spaces));
            }
            if (space.Dimension < 1 || !Enum.IsDefined(space.Distance) || !Enum.IsDefined(space.Quantization))
            {
                throw new ArgumentException($"vector {space.Name}: invalid dimension, distance or quantization", nameof(spaces));
            }
            if ((long)_offsets[i] + space.Dimension > Array.MaxLength)
            {
                throw new ArgumentException("the named vectors' dimensions add up to more than an array holds", nameof(spaces));
            }
            _offsets[i + 1] = _offsets[i] + space.Dimension;
        }
    }

    /// <summary>The length of the concatenation of one vector of each.</summary>
    public int Length => _offsets[^1];

    /// <inheritdoc/>
    public int Count => _spaces.Length;

    /// <inheritdoc/>
    public VectorSpace this[int index] => _spaces[index];

    /// <summary>The position of the vector named <paramref name="name"/>; -1 when there is none.</summary>
    public int IndexOf(string name) => Array.FindIndex(_spaces, s => s.Name == name);

    /// <summary>Vector <paramref name="space"/>'s part of a concatenation.</summary>
    public ReadOnlySpan<float> Segment(ReadOnlySpan<float> vectors, int space) =>
        vectors.Slice(_offsets[space], _spaces[space].Dimension);

    /// <summary>The concatenation of <paramref name="vectors"/>, one per space in order, as the engine takes it.</summary>
    /// <exception cref="ArgumentException">Not one per space, or one of the wrong length.</exception>
    public float[] Concat(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count != _spaces.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{vectors.Count} vectors for {_spaces.Length} named ones"), nameof(vectors));
        }
        var all = new float[Length];
        for (int i = 0; i < _spaces.Length; i++)
        {
            if (vectors[i]?.Length != _spaces[i].Dimension)
            {
                throw new ArgumentException($"vector {_spaces[i].Name} has the wrong length", nameof(vectors));
            }
            vectors[i].CopyTo(all, _offsets[i]);
        }
        return all;
    }

    /// <summary>What is wrong with a concatenation of one vector of each (by each one's rule, named), or null.</summary>
    internal string? Check(ReadOnlySpan<float> vectors, HnswOptions options)
    {
        if (vectors.Length != Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"dim mismatch (index={Length}, got={vectors.Length})");
        }
        for (int i = 0; i < _spaces.Length; i++)
        {
            if (options.Space(i).CheckVector(Segment(vectors, i)) is { } problem)
            {
                return $"vectors.{_spaces[i].Name}: {problem}";
            }
        }
        return null;
    }

    /// <inheritdoc/>
    public IEnumerator<VectorSpace> GetEnumerator() => ((IEnumerable<VectorSpace>)_spaces).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(VectorSpaces? other) => other is not null && _spaces.AsSpan().SequenceEqual(other._spaces);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as VectorSpaces);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (VectorSpace space in _spaces)
        {
            hash.Add(space);
        }
        return hash.ToHashCode();
    }
}
