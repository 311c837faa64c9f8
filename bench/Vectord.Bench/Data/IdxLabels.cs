using System.Buffers.Binary;
using System.IO.Compression;
using Vectord.Bench.Common;

namespace Vectord.Bench.Data;

/// <summary>Reads IDX label files (<c>0x00000801</c>, count, then one unsigned byte per label), gzipped or not.</summary>
internal static class IdxLabels
{
    private const int UnsignedByteLabelsMagic = 0x00000801;

    /// <summary>The first <paramref name="count"/> labels.</summary>
    public static byte[] Read(string path, int count)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[8];
        stream.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != UnsignedByteLabelsMagic || BinaryPrimitives.ReadInt32BigEndian(header[4..]) < count)
        {
            throw new BenchException($"{path} is not an IDX label file of at least {count} labels");
        }
        var labels = new byte[count];
        stream.ReadExactly(labels);
        return labels;
    }
}
