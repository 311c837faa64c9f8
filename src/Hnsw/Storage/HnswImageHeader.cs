using Vectord.Hnsw.Storage;

namespace Vectord.Hnsw;

/// <summary>
/// The header of a saved index image (<see cref="HnswIndex.Save"/>): its parameters and counts, checked for
/// consistency with each other and, when known, with the bytes the image has (<see cref="Read(ReadOnlySpan{byte}, long?)"/>).
/// Lets a reader refuse an image (its parameters, or more items than it may hold) before anything is allocated for it.
/// </summary>
/// <param name="Options">The index's effective options.</param>
/// <param name="Slots">Slots in the image, tombstones included.</param>
/// <param name="Count">Live items in the image.</param>
public sealed record HnswImageHeader(HnswOptions Options, int Slots, int Count)
{
    /// <summary>Most bytes a header takes: that of format version 3 (named vectors) with the most vectors and longest
    /// names <see cref="HnswImageHeader"/> reads, then the header of its first vector's image (version 2; version 1
    /// takes 4 fewer). A header without named vectors takes at most its last 65.</summary>
    public const int MaxLength = 5 + 4 + 4 + (MaxNamedVectors * (4 + MaxNameBytes + 12)) + 8 + SpaceLength;

    /// <summary>Most bytes the header of one graph's image takes (format version 2).</summary>
    private const int SpaceLength = 5 + (13 * 4) + 8;

    /// <summary>Most named vectors an image may declare.</summary>
    internal const int MaxNamedVectors = 64;

    /// <summary>Longest name (UTF-8 bytes) of a named vector an image may declare.</summary>
    internal const int MaxNameBytes = 256;

    /// <summary>The format version of the (first) graph's image: 1 or 2.</summary>
    internal int Version { get; private init; }

    /// <summary>True for an image with named vectors (format version 3): the other vectors' images follow the first's.</summary>
    internal bool IsNamed => Options.Vectors is not null;

    internal int EntryPoint { get; private init; }

    internal int MaxLevel { get; private init; }

    /// <summary>Reads the header at the start of <paramref name="image"/> (at least its first <see cref="MaxLength"/>
    /// bytes, or all of a shorter image).</summary>
    /// <param name="image">The start of the image.</param>
    /// <param name="length">Bytes the whole image has, when known: the counts must fit in them.</param>
    /// <exception cref="HnswFormatException">Not an image, an unknown version, a damaged header, or counts the image
    /// cannot hold.</exception>
    public static HnswImageHeader Read(ReadOnlySpan<byte> image, long? length)
    {
        try
        {
            return Read(new SectionReader(new MemoryStream(image.ToArray(), writable: false)), length);
        }
        catch (SectionCorruptException e)
        {
            throw new HnswFormatException(e.Message, e);
        }
    }

    internal static HnswImageHeader Read(SectionReader reader, long? length) => Read(reader, length, named: true);

    /// <summary>Reads a header; one of named vectors (version 3) only where <paramref name="named"/> allows it: the
    /// image of one of its vectors is never one itself.</summary>
    internal static HnswImageHeader Read(SectionReader reader, long? length, bool named)
    {
        reader.Part = "header";
        reader.StartHash();
        Span<byte> magic = stackalloc byte[5];
        reader.ReadBytes(magic);
        if (!magic.SequenceEqual(HnswIndex.Magic))
        {
            throw new HnswFormatException("bad magic");
        }
        int version = reader.ReadInt32();
        if (version == HnswIndex.NamedFormatVersion && named)
        {
            var vectors = ReadSpaces(reader);
            var first = Read(reader, length, named: false);
            if ((first.Options.Dimension, first.Options.Distance, first.Options.Quantization) != (vectors[0].Dimension, vectors[0].Distance, vectors[0].Quantization))
            {
                throw new HnswFormatException("the first named vector's image has other parameters than the header says");
            }
            return first with { Options = first.Options with { Vectors = vectors } };
        }
        if (version is not (HnswIndex.FormatVersion or HnswIndex.QuantizedFormatVersion))
        {
            throw new HnswFormatException($"unsupported format version {version}");
        }
        int dim = reader.ReadInt32();
        int kind = reader.ReadInt32();
        int m = reader.ReadInt32();
        int efc = reader.ReadInt32();
        int efs = reader.ReadInt32();
        int seed = reader.ReadInt32();
        int quantization = version >= HnswIndex.QuantizedFormatVersion ? reader.ReadInt32() : 0;
        int slots = reader.ReadInt32();
        int live = reader.ReadInt32();
        int entry = reader.ReadInt32();
        int maxLevel = reader.ReadInt32();
        if (!reader.EndSection())
        {
            throw new HnswFormatException("checksum mismatch in header");
        }
        if (dim < 0 || (dim == 0 && quantization != 0) || !Enum.IsDefined((DistanceKind)kind) || m is < 2 or > 256 || efc < 1 || efs < 1
            || !Enum.IsDefined((QuantizationKind)quantization) || (version >= HnswIndex.QuantizedFormatVersion) != (quantization != 0))
        {
            throw new HnswFormatException($"invalid parameters in header (dimension={dim}, distance={kind}, M={m}, efConstruction={efc}, efSearch={efs}, quantization={quantization})");
        }
        int stride0 = HnswIndex.LinkStride0(dim, m);
        if (slots < 0 || live < 0 || live > slots || (long)slots * dim > Array.MaxLength || (long)slots * stride0 > Array.MaxLength)
        {
            throw new HnswFormatException($"invalid counts in header (slots={slots}, live={live})");
        }
        long needed = (long)slots * ((dim * sizeof(float)) + 1 + (stride0 * sizeof(int)));
        if (length is { } bytes && needed > bytes)
        {
            throw new HnswFormatException($"truncated: the header claims {slots} slots ({needed} bytes of vectors and graph) but the input holds {bytes} bytes");
        }
        var options = new HnswOptions(dim, (DistanceKind)kind, m, efc, efs, seed, (QuantizationKind)quantization);
        return new HnswImageHeader(options, slots, live) { Version = version, EntryPoint = entry, MaxLevel = maxLevel };
    }

    /// <summary>The named vectors of a version-3 header, after its version; checked against its checksum.</summary>
    private static VectorSpaces ReadSpaces(SectionReader reader)
    {
        int count = reader.ReadInt32();
        if (count is < 1 or > MaxNamedVectors)
        {
            throw new HnswFormatException($"invalid count of named vectors in header ({count})");
        }
        var spaces = new VectorSpace[count];
        Span<byte> name = stackalloc byte[MaxNameBytes];
        string?[] names = new string?[count];
        var parameters = new (int Dimension, int Distance, int Quantization)[count];
        for (int i = 0; i < count; i++)
        {
            int bytes = reader.ReadInt32();
            if (bytes is < 1 or > MaxNameBytes)
            {
                throw new HnswFormatException($"invalid name length {bytes} of named vector {i} in header");
            }
            reader.ReadBytes(name[..bytes]);
            names[i] = System.Text.Encoding.UTF8.GetString(name[..bytes]);
            parameters[i] = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        }
        if (!reader.EndSection())
        {
            throw new HnswFormatException("checksum mismatch in header");
        }
        for (int i = 0; i < count; i++)
        {
            spaces[i] = new VectorSpace(names[i]!, parameters[i].Dimension, (DistanceKind)parameters[i].Distance, (QuantizationKind)parameters[i].Quantization);
        }
        try
        {
            return new VectorSpaces(spaces);
        }
        catch (ArgumentException e)
        {
            throw new HnswFormatException($"invalid named vectors in header: {e.Message}", e);
        }
    }
}
