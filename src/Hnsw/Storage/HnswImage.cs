using System.Text;
using Vectord.Hnsw.Storage;

namespace Vectord.Hnsw;

/// <summary>
/// What an index persists, at one point in time: its parameters, ids, metadata, vectors and graph. Made by
/// <see cref="HnswIndex.Freeze"/> as a copy the index's later writes do not touch, so it can be saved on another
/// thread while the index goes on taking writes; written by <see cref="Save"/> in the format of
/// <see cref="HnswIndex.Save"/>, which <see cref="HnswIndex.Load(Stream, string?)"/> reads.
/// </summary>
public sealed class HnswImage
{
    private readonly HnswOptions _options;
    private readonly int _m;
    private readonly int _stride0;
    private readonly int _slots;
    private readonly int _entryPoint;
    private readonly int _maxLevel;
    private readonly string?[] _ids;
    private readonly byte[]?[] _metadata;
    private readonly Storage.VectorBuffer _vectors;
    private readonly byte[] _levels;
    private readonly int[] _links0;
    private readonly int[]?[] _upper;
    private readonly QuantizedImage _quantized;
    private readonly HnswImage[] _companions;
    private readonly bool _withMetadata;

    /// <summary>Holds the arrays given: the caller either copied them or keeps them unchanged while this is saved.
    /// Only the first <paramref name="slots"/> entries (and blocks) of each are read. With named vectors,
    /// <paramref name="companions"/> are the images of the graphs of all but the first, saved without metadata
    /// (<paramref name="withMetadata"/> false): they hold the first's.</summary>
    internal HnswImage(HnswOptions options, int slots, int liveCount, int entryPoint, int maxLevel,
        string?[] ids, byte[]?[] metadata, Storage.VectorBuffer vectors, byte[] levels, int[] links0, int[]?[] upper, QuantizedImage quantized,
        HnswImage[]? companions = null, bool withMetadata = true)
    {
        _companions = companions ?? [];
        _withMetadata = withMetadata;
        _options = options;
        _m = options.M;
        _stride0 = HnswIndex.LinkStride0(options.Dimension, options.M);
        _slots = slots;
        Count = liveCount;
        _entryPoint = entryPoint;
        _maxLevel = maxLevel;
        _ids = ids;
        _metadata = metadata;
        _vectors = vectors;
        _levels = levels;
        _links0 = links0;
        _upper = upper;
        _quantized = quantized;
    }

    /// <summary>Live items in the image.</summary>
    public int Count { get; }

    /// <summary>The index's effective options.</summary>
    public HnswOptions Options => _options;

    /// <summary>Writes the image to <paramref name="stream"/> in the versioned binary format, streaming (no whole-image buffer).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new Storage.SectionWriter(stream);
        if (_options.Vectors is { } vectors)
        {
            WriteSpaces(writer, vectors);
            SaveSpace(writer);
            foreach (HnswImage companion in _companions)
            {
                companion.SaveSpace(writer);
            }
            writer.WriteBytes(HnswIndex.Footer);
        }
        else
        {
            SaveSpace(writer);
        }
        writer.Flush();
    }

    /// <summary>The header of an image with named vectors (format version 3): their names and parameters.</summary>
    private static void WriteSpaces(Storage.SectionWriter writer, VectorSpaces vectors)
    {
        writer.WriteBytes(HnswIndex.Magic);
        writer.WriteInt32(HnswIndex.NamedFormatVersion);
        writer.WriteInt32(vectors.Count);
        foreach (VectorSpace space in vectors)
        {
            byte[] name = Encoding.UTF8.GetBytes(space.Name);
            writer.WriteInt32(name.Length);
            writer.WriteBytes(name);
            writer.WriteInt32(space.Dimension);
            writer.WriteInt32((int)space.Distance);
            writer.WriteInt32((int)space.Quantization);
        }
        writer.EndSection();
    }

    /// <summary>Writes one graph's image, from its magic to its footer (format version 1 or 2).</summary>
    private void SaveSpace(Storage.SectionWriter writer)
    {
        writer.StartHash();
        int slots = _slots;
        int dim = _options.Dimension;

        bool quantized = _options.Quantization != QuantizationKind.None;
        writer.WriteBytes(HnswIndex.Magic);
        writer.WriteInt32(quantized ? HnswIndex.QuantizedFormatVersion : HnswIndex.FormatVersion);
        writer.WriteInt32(dim);
        writer.WriteInt32((int)_options.Distance);
        writer.WriteInt32(_m);
        writer.WriteInt32(_options.EfConstruction);
        writer.WriteInt32(_options.EfSearch);
        writer.WriteInt32(_options.Seed);
        if (quantized)
        {
            writer.WriteInt32((int)_options.Quantization);
        }
        writer.WriteInt32(slots);
        writer.WriteInt32(Count);
        writer.WriteInt32(_entryPoint);
        writer.WriteInt32(_maxLevel);
        writer.EndSection();

        long idsLength = 0;
        for (int i = 0; i < slots; i++)
        {
            idsLength += _ids[i] is { } id ? 5 + Encoding.UTF8.GetByteCount(id) : 1;
        }
        writer.BeginSection(Storage.SectionTag.Ids, idsLength);
        byte[] idBuffer = [];
        for (int i = 0; i < slots; i++)
        {
            if (_ids[i] is not { } id)
            {
                writer.WriteByte(0);
                continue;
            }
            int n = Encoding.UTF8.GetMaxByteCount(id.Length);
            if (idBuffer.Length < n)
            {
                idBuffer = new byte[Math.Max(n, 256)];
            }
            n = Encoding.UTF8.GetBytes(id, idBuffer);
            writer.WriteByte(1);
            writer.WriteInt32(n);
            writer.WriteBytes(idBuffer.AsSpan(0, n));
        }
        writer.EndSection();

        long metadataLength = 4L * slots;
        for (int i = 0; i < slots && _withMetadata; i++)
        {
            metadataLength += _metadata[i]?.Length ?? 0;
        }
        writer.BeginSection(Storage.SectionTag.Metadata, metadataLength);
        for (int i = 0; i < slots; i++)
        {
            byte[]? metadata = _withMetadata ? _metadata[i] : null;
            writer.WriteInt32(metadata?.Length ?? -1);
            if (metadata is not null)
            {
                writer.WriteBytes(metadata);
            }
        }
        writer.EndSection();

        writer.BeginSection(Storage.SectionTag.Vectors, 4L * slots * dim);
        writer.WriteSingles(_vectors.Slice(0, slots * dim));
        writer.EndSection();

        long upperInts = 0;
        for (int i = 0; i < slots; i++)
        {
            upperInts += _levels[i] * (_m + 1);
        }
        writer.BeginSection(Storage.SectionTag.Graph, slots + (4L * slots * _stride0) + (4L * upperInts));
        writer.WriteBytes(_levels.AsSpan(0, slots));
        writer.WriteInt32s(_links0.AsSpan(0, slots * _stride0));
        for (int i = 0; i < slots; i++)
        {
            if (_levels[i] > 0)
            {
                writer.WriteInt32s(_upper[i].AsSpan(0, _levels[i] * (_m + 1)));
            }
        }
        writer.EndSection();
        if (quantized)
        {
            _quantized.Save(writer, slots, dim);
        }
        writer.WriteBytes(HnswIndex.Footer);
    }
}
