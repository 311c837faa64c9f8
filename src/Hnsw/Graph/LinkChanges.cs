using System.Buffers.Binary;

namespace Vectord.Hnsw;

/// <summary>
/// The links one add batch changed in an index (<see cref="HnswIndex.AddLogged(IReadOnlyList{VectorItem}, out LinkChanges)"/>):
/// every link list it wrote, as it stands after the batch, with the entry point, the top layer and the slot count
/// after it. Another copy of the index that holds what this one held before the batch applies the same batch with
/// them (<see cref="HnswIndex.AddLinked"/>) and ends with the same graph, without searching for neighbours.
/// </summary>
/// <remarks>Encoded as little-endian 32-bit integers: a version (1), the slot count, the entry point, the top layer, the
/// number of lists, then per list its node, its layer, its length and its nodes. The changes of an index with named
/// vectors, one such set per graph, are version 2: the number of graphs, then each graph's set as its length in
/// integers and its integers.</remarks>
public sealed class LinkChanges
{
    private const int Version = 1;
    private const int NamedVersion = 2;
    private readonly int[] _data;

    private LinkChanges(int[] data, LinkChanges[]? companions = null)
    {
        _data = data;
        Companions = companions ?? [];
    }

    /// <summary>With named vectors, the changes of the graph of each vector but the first (which these are).</summary>
    internal LinkChanges[] Companions { get; }

    /// <summary>The changes of the first graph with those of the others.</summary>
    internal static LinkChanges WithCompanions(LinkChanges first, LinkChanges[] companions) => new(first._data, companions);

    /// <summary>Slots the index has after the batch.</summary>
    public int SlotCount => _data[1];

    internal int EntryPoint => _data[2];

    internal int MaxLevel => _data[3];

    internal int Lists => _data[4];

    /// <summary>Builds the changes from the lists of <paramref name="touched"/>, as <paramref name="read"/> gives them.</summary>
    internal static LinkChanges Capture(int slotCount, int entryPoint, int maxLevel, IReadOnlyCollection<(int Node, int Level)> touched,
        Func<int, int, ReadOnlySpan<int>> read)
    {
        var data = new List<int>(5 + (touched.Count * 8)) { Version, slotCount, entryPoint, maxLevel, touched.Count };
        foreach (var (node, level) in touched)
        {
            ReadOnlySpan<int> block = read(node, level);
            data.Add(node);
            data.Add(level);
            data.Add(block[0]);
            foreach (int neighbour in block.Slice(1, block[0]))
            {
                data.Add(neighbour);
            }
        }
        return new LinkChanges([.. data]);
    }

    /// <summary>Each list: its node, its layer and its nodes.</summary>
    internal IEnumerable<(int Node, int Level, int[] Links)> Each()
    {
        int at = 5;
        for (int i = 0; i < Lists; i++)
        {
            int node = _data[at], level = _data[at + 1], count = _data[at + 2];
            yield return (node, level, _data.AsSpan(at + 3, count).ToArray());
            at += 3 + count;
        }
    }

    /// <summary>The encoding (see the remarks).</summary>
    public byte[] ToBytes()
    {
        var ints = new List<int>(_data.Length + 2);
        if (Companions.Length > 0)
        {
            ints.Add(NamedVersion);
            ints.Add(1 + Companions.Length);
            foreach (LinkChanges graph in (LinkChanges[])[this, .. Companions])
            {
                ints.Add(graph._data.Length);
                ints.AddRange(graph._data);
            }
        }
        else
        {
            ints.AddRange(_data);
        }
        var bytes = new byte[ints.Count * sizeof(int)];
        for (int i = 0; i < ints.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), ints[i]);
        }
        return bytes;
    }

    /// <summary>Reads changes back from <see cref="ToBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such an encoding.</exception>
    public static LinkChanges FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(int) != 0 || bytes.Length < 5 * sizeof(int))
        {
            throw new InvalidDataException("link changes: not a whole number of integers, or no header");
        }
        var data = new int[bytes.Length / sizeof(int)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * sizeof(int)));
        }
        if (data[0] != NamedVersion)
        {
            return Checked(data);
        }
        int graphs = data[1], next = 2;
        var sets = new List<LinkChanges>();
        for (int g = 0; g < graphs; g++)
        {
            if (graphs < 2 || next >= data.Length || data[next] < 5 || data[next] > data.Length - next - 1)
            {
                throw new InvalidDataException($"link changes: graph {g} of {graphs} runs past the end");
            }
            sets.Add(Checked(data[(next + 1)..(next + 1 + data[next])]));
            next += 1 + data[next];
        }
        if (next != data.Length)
        {
            throw new InvalidDataException("link changes: bytes after the last graph");
        }
        return new LinkChanges(sets[0]._data, [.. sets.Skip(1)]);
    }

    /// <summary>One graph's changes (version 1), their lists checked to lie within them.</summary>
    private static LinkChanges Checked(int[] data)
    {
        if (data.Length < 5 || data[0] != Version)
        {
            throw new InvalidDataException($"link changes: version {data[0]} is not {Version} or {NamedVersion}");
        }
        int at = 5;
        for (int i = 0; i < data[4]; i++)
        {
            if (at + 3 > data.Length || data[at + 2] < 0 || at + 3 + data[at + 2] > data.Length)
            {
                throw new InvalidDataException($"link changes: list {i} runs past the end");
            }
            at += 3 + data[at + 2];
        }
        if (at != data.Length)
        {
            throw new InvalidDataException("link changes: bytes after the last list");
        }
        return new LinkChanges(data);
    }
}
