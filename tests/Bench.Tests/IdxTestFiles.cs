using System.Buffers.Binary;
using System.IO.Compression;

namespace Vectord.Bench.Tests;

/// <summary>Writes IDX image files (big-endian header, then unsigned bytes) for the reader tests.</summary>
internal static class IdxTestFiles
{
    public static byte[] Images(int count, int rows, int columns, Func<int, int, byte> pixel, int magic = 0x00000803)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < rows * columns; j++)
            {
                bytes[16 + i * rows * columns + j] = pixel(i, j);
            }
        }
        return bytes;
    }

    public static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }
}

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vectord-bench-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
