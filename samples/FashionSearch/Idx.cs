using System.Buffers.Binary;
using System.IO.Compression;

namespace Vectord.Samples.FashionSearch;

/// <summary>Reads a gzip-compressed IDX file of unsigned bytes (fashion-mnist's images and labels): a big-endian
/// header of magic, count and sizes, then the records.</summary>
internal static class Idx
{
    /// <summary>The first <paramref name="take"/> records of the file, each as its bytes.</summary>
    public static byte[][] Read(string path, int take)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> word = stackalloc byte[4];
        stream.ReadExactly(word);
        int dimensions = word[3];          // 0x00000801: labels (1), 0x00000803: images (3)
        stream.ReadExactly(word);
        int count = BinaryPrimitives.ReadInt32BigEndian(word);
        int size = 1;
        for (int d = 1; d < dimensions; d++)
        {
            stream.ReadExactly(word);
            size *= BinaryPrimitives.ReadInt32BigEndian(word);
        }
        var records = new byte[Math.Min(take, count)][];
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = new byte[size];
            stream.ReadExactly(records[i]);
        }
        return records;
    }
}
