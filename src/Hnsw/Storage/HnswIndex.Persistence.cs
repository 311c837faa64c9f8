using System.Text;
using Vectord.Hnsw.Storage;

namespace Vectord.Hnsw;

/// <remarks>
/// Format version 1 (little-endian), written for indexes without quantization:
/// <code>
/// header   "VHNSW" | int32 version | int32 dimension, distance, M, efConstruction, efSearch, seed
///          | int32 slotCount, liveCount, entryPoint, maxLevel | uint64 xxhash64 of all header bytes
/// sections tag byte | int64 payload length | payload | uint64 xxhash64 of tag, length and payload
///   1 ids       per slot: byte 0 (tombstone) | byte 1, int32 utf-8 length, utf-8 bytes
///   2 metadata  per slot: int32 length (-1 = no metadata), bytes
///   3 vectors   slotCount × dimension float32 (unit vectors under cosine)
///   4 graph     slotCount level bytes | slotCount layer-0 blocks of 1 + 2M int32 (count, links)
///               | per slot with level L > 0: L blocks of 1 + M int32
/// footer   "VEND"
/// </code>
/// Format version 3, written for indexes with named vectors (<see cref="HnswOptions.Vectors"/>): a header naming them,
/// then one image per named vector in order, each in version 1 or 2 from its magic to its footer (each header hashed
/// from its own magic); the first holds the items' metadata, the others none (they hold the same items in the same
/// slots, and take the first's metadata when loaded):
/// <code>
/// header   "VHNSW" | int32 3 | int32 count | per vector: int32 utf-8 length, utf-8 name, int32 dimension, distance,
///          quantization | uint64 xxhash64 of all header bytes
/// images   count images, as above
/// footer   "VEND"
/// </code>
/// An index without vectors (dimension 0) is written in version 1 too: its vectors section is empty, every level 0,
/// and each layer-0 block its count alone (0), one int32; entry point and top level are −1.
/// Format version 2, written for indexes with quantization (<see cref="QuantizationKind.Int8"/>): the header holds an
/// int32 quantization after the seed, and two sections follow the graph:
/// <code>
///   5 quantizer int32 vectors trained on (0 = not trained yet) | if trained: dimension float32 low, dimension float32 step
///   6 codes     if trained: slotCount × dimension bytes (the norms the search keeps beside them are recomputed)
/// </code>
/// </remarks>
public sealed partial class HnswIndex
{
    internal const int FormatVersion = 1;
    internal const int QuantizedFormatVersion = 2;
    internal const int NamedFormatVersion = 3;
    internal static ReadOnlySpan<byte> Magic => "VHNSW"u8;
    internal static ReadOnlySpan<byte> Footer => "VEND"u8;

    /// <summary>Writes the index to <paramref name="stream"/> in the versioned binary format, streaming (no whole-image
    /// buffer). Reads beside it run as usual; a write waits until it is done.</summary>
    /// <exception cref="VectorFileDamagedException">The vector file no longer holds what was written to it.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reading = _gate.Read();
        // The companions' arrays are written as they are too: each held as a read until the image is written.
        var companions = new Graph.ReadWriteGate.ReadScope[_companions.Length];
        int held = 0;
        try
        {
            for (; held < companions.Length; held++)
            {
                companions[held] = _companions[held]._gate.Read();
            }
            Image(copy: false, companionsHeld: true).Save(stream);
        }
        finally
        {
            for (int c = 0; c < held; c++)
            {
                companions[c].Dispose();
            }
        }
    }

    /// <summary>
    /// A copy of what the index persists, as it is now, for saving on another thread while the index goes on taking
    /// writes (a snapshot that holds writes up only for the copy). Copies the vectors, graph and slot tables (about
    /// the index's own size in memory, until the image is dropped; the vectors of a <see cref="VectorFile"/> go to an
    /// anonymous file beside it instead); ids and metadata are immutable and shared. Call it between writes: like every
    /// read, it sees a write in progress only partly.
    /// </summary>
    /// <exception cref="VectorFileDamagedException">The vector file no longer holds what was written to it.</exception>
    public HnswImage Freeze()
    {
        using var reading = _gate.Read();
        return Image(copy: true);
    }

    /// <summary>The image of the index (copied, or of its arrays as they are), with its companions' when it has named
    /// vectors: each taken inside its own gate, as a read.</summary>
    private HnswImage Image(bool copy, bool companionsHeld = false)
    {
        HnswImage[] companions = new HnswImage[_companions.Length];
        for (int c = 0; c < companions.Length; c++)
        {
            HnswIndex companion = _companions[c];
            if (companionsHeld)
            {
                companions[c] = companion.OwnImage(copy, companion._own, [], withMetadata: false);
                continue;
            }
            using var reading = companion._gate.Read();
            companions[c] = companion.OwnImage(copy, companion._own, [], withMetadata: false);
        }
        return OwnImage(copy, _options, companions, withMetadata: true);
    }

    private HnswImage OwnImage(bool copy, HnswOptions options, HnswImage[] companions, bool withMetadata)
    {
        int slots = _slotCount;
        _vectors.CheckLength();
        CheckVectorSums();
        if (!copy)
        {
            return new HnswImage(options, slots, _liveCount + _quarantined.Count, _entryPoint, _maxLevel, _ids, _metadata, _vectors, _levels, _links0, _upper,
                new QuantizedImage(_quantizer, _trainedOn, _codes, _codeStride), companions, withMetadata);
        }
        var upper = new int[]?[slots];
        for (int i = 0; i < slots; i++)
        {
            if (_levels[i] > 0)
            {
                upper[i] = _upper[i].AsSpan(0, _levels[i] * (_m + 1)).ToArray();
            }
        }
        return new HnswImage(options, slots, _liveCount + _quarantined.Count, _entryPoint, _maxLevel,
            _ids.AsSpan(0, slots).ToArray(), _metadata.AsSpan(0, slots).ToArray(), _vectors.Copy(slots * _dim),
            _levels.AsSpan(0, slots).ToArray(), _links0.AsSpan(0, slots * _stride0).ToArray(), upper,
            new QuantizedImage(_quantizer, _trainedOn, _codes.AsSpan(0, _quantizer is null ? 0 : slots * _codeStride).ToArray(), _codeStride),
            companions, withMetadata);
    }

    /// <summary>Reads an index written by <see cref="Save"/> (any supported format version) without rebuilding the graph.</summary>
    /// <exception cref="HnswFormatException">The input is truncated, corrupted or of an unknown format.</exception>
    /// <param name="stream">The saved index.</param>
    /// <param name="vectorFile">Where the loaded index keeps its vectors (see <see cref="VectorFile"/>): the file is
    /// written again from <paramref name="stream"/>. Null keeps them on the managed heap.</param>
    public static HnswIndex Load(Stream stream, string? vectorFile = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // A seekable input bounds what the header may claim, so a damaged or hostile count cannot make the
        // loader allocate far more than the file could hold.
        return LoadBounded(stream, stream.CanSeek ? stream.Length - stream.Position : null, null, vectorFile);
    }

    /// <summary>Reads an index written by <see cref="Save"/> from an input that holds at most <paramref name="length"/>
    /// bytes, letting <paramref name="accept"/> refuse its header before anything is allocated for it.</summary>
    /// <exception cref="HnswFormatException">The input is truncated, corrupted, of an unknown format, or claims more
    /// than <paramref name="length"/> bytes can hold.</exception>
    /// <param name="stream">The saved index; it need not seek.</param>
    /// <param name="length">Most bytes the image may have (for example the length of the file it is part of): every
    /// count and length it holds must fit in them.</param>
    /// <param name="accept">Sees the header; throws to refuse the image.</param>
    /// <param name="vectorFile">As in <see cref="Load(Stream, string?)"/>.</param>
    public static HnswIndex Load(Stream stream, long length, Action<HnswImageHeader> accept, string? vectorFile = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(accept);
        return LoadBounded(stream, length, accept, vectorFile);
    }

    private static HnswIndex LoadBounded(Stream stream, long? length, Action<HnswImageHeader>? accept, string? vectorFile)
    {
        try
        {
            return LoadCore(new SectionReader(stream, length), length, accept, vectorFile);
        }
        catch (SectionCorruptException e)
        {
            throw new HnswFormatException(e.Message, e);
        }
    }

    private static HnswIndex LoadCore(SectionReader reader, long? available, Action<HnswImageHeader>? accept, string? vectorFile)
    {
        var header = HnswImageHeader.Read(reader, available);
        accept?.Invoke(header);
        var index = new HnswIndex(header.Options, vectorFile);
        index.ReadBody(reader, header);
        foreach (HnswIndex companion in index._companions)
        {
            var own = HnswImageHeader.Read(reader, available, named: false);
            if (own.Options != companion._own || own.Slots != header.Slots)
            {
                throw new HnswFormatException($"a named vector's image has other parameters or slots than its header says (dimension {own.Options.Dimension}, {own.Slots} slots)");
            }
            companion.ReadBody(reader, own);
            companion.ShareMetadata(index);
        }
        if (header.IsNamed)
        {
            ReadFooter(reader);
        }
        if (!reader.AtEnd())
        {
            throw new HnswFormatException("unexpected data after the footer");
        }
        return index;
    }

    /// <summary>Reads one graph's sections and footer after its header, and checks what they hold.</summary>
    private void ReadBody(SectionReader reader, HnswImageHeader header)
    {
        if (header.Slots > 0)
        {
            EnsureCapacity(header.Slots);   // the final size in one step: no doubling, no copies
        }
        _slotCount = header.Slots;

        ReadSection(reader, SectionTag.Ids, "ids", ReadIds);
        ReadSection(reader, SectionTag.Metadata, "metadata", ReadMetadata);
        ReadSection(reader, SectionTag.Vectors, "vectors", ReadVectors);
        ReadSection(reader, SectionTag.Graph, "graph", ReadGraph);
        if (header.Version >= QuantizedFormatVersion)
        {
            ReadSection(reader, SectionTag.Quantizer, "quantizer", ReadQuantizer);
            ReadSection(reader, SectionTag.Codes, "codes", ReadCodes);
        }
        ReadFooter(reader);
        ValidateLoaded(header.Count, header.EntryPoint, header.MaxLevel);
    }

    private static void ReadFooter(SectionReader reader)
    {
        reader.Part = "footer";
        Span<byte> footer = stackalloc byte[4];
        reader.ReadBytes(footer);
        if (!footer.SequenceEqual(Footer))
        {
            throw new HnswFormatException("bad footer");
        }
    }

    /// <summary>A loaded companion takes the metadata of the index it belongs to, which holds the same items in the
    /// same slots (its own image holds none).</summary>
    private void ShareMetadata(HnswIndex first)
    {
        if (_slotCount != first._slotCount || _liveCount != first._liveCount)
        {
            throw new HnswFormatException("a named vector's image holds other items than the first's");
        }
        for (int slot = 0; slot < _slotCount; slot++)
        {
            if (_ids[slot] != first._ids[slot] || _deleted[slot] != first._deleted[slot])
            {
                throw new HnswFormatException($"a named vector's image holds another item than the first's in slot {slot}");
            }
            if (!_deleted[slot] && first._metadata[slot] is { } metadata)
            {
                SetMetadata(slot, metadata);
            }
        }
    }
}
