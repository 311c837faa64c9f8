using System.Buffers.Binary;
using System.IO.Compression;
using Vectord.Bench.Common;

namespace Vectord.Bench.Data;

/// <summary>
/// Reads IDX image files (the MNIST / Fashion-MNIST format): a big-endian header <c>0x00000803</c>, count, rows,
/// columns, then <c>count·rows·columns</c> unsigned bytes. Gzip-compressed files (<c>.gz</c>) are read as-is.
/// </summary>
internal static class IdxImages
{
    private const int UnsignedByteImagesMagic = 0x00000803;

    /// <summary>Reads at most <paramref name="maxCount"/> images (all when null) as float vectors, one per image.</summary>
    public static float[][] Read(string path, int? maxCount, out int dimension)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        try
        {
            return Read(stream, maxCount, out dimension);
        }
        catch (InvalidDataException ex)
        {
            throw new BenchException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads images from an uncompressed IDX stream.</summary>
    /// <exception cref="InvalidDataException">Bad magic number, impossible header or truncated data.</exception>
    public static float[][] Read(Stream stream, int? maxCount, out int dimension)
    {
        Span<byte> header = stackalloc byte[16];
        ReadExactly(stream, header, "header");
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != UnsignedByteImagesMagic)
        {
            throw new InvalidDataException($"not an IDX unsigned-byte image file (magic 0x{magic:x8}, expected 0x{UnsignedByteImagesMagic:x8})");
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        var columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (count < 0 || rows <= 0 || columns <= 0 || (long)rows * columns > 1 << 20)
        {
            throw new InvalidDataException($"impossible IDX header (count={count}, rows={rows}, columns={columns})");
        }
        dimension = rows * columns;
        var take = maxCount is { } max ? Math.Min(max, count) : count;
        var vectors = new float[take][];
        var raw = new byte[dimension];
        for (var i = 0; i < take; i++)
        {
            ReadExactly(stream, raw, $"image {i} of {count}");
            var vector = new float[dimension];
            for (var j = 0; j < raw.Length; j++)
            {
                vector[j] = raw[j];
            }
            vectors[i] = vector;
        }
        return vectors;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"truncated IDX file: {what} ends after {read} of {buffer.Length} bytes");
        }
    }
}
