using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vectord.Cli.Tests;

/// <summary>Writes small vector files of every format the tool reads.</summary>
internal static class TestFiles
{
    public static void Text(string path, params string[] lines) => File.WriteAllText(path, string.Join('\n', lines) + "\n");

    /// <summary><paramref name="count"/> JSON Lines of 4-component items with ids <c>0</c>, <c>1</c>, ...</summary>
    public static byte[] JsonlBytes(int count) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, count)
        .Select(i => $"{{\"id\":\"{i}\",\"vector\":[{i % 7 + 1},{i % 5},{i % 3},{i}],\"tag\":\"row-{i}\"}}\n")));

    /// <summary>A gzip file of <paramref name="prefix"/>, then <paramref name="repeated"/> bytes <paramref name="fill"/>
    /// written a buffer at a time, then <paramref name="suffix"/>: a small file of a huge content.</summary>
    public static void GzipBomb(string path, byte[] prefix, byte fill, long repeated, byte[] suffix)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(prefix);
        var block = new byte[1 << 20];
        Array.Fill(block, fill);
        for (var left = repeated; left > 0; left -= block.Length)
        {
            gzip.Write(block, 0, (int)Math.Min(left, block.Length));
        }
        gzip.Write(suffix);
    }

    public static void Fvecs(string path, float[][] vectors)
    {
        using var file = File.Create(path);
        Span<byte> four = stackalloc byte[4];
        foreach (var vector in vectors)
        {
            BinaryPrimitives.WriteInt32LittleEndian(four, vector.Length);
            file.Write(four);
            foreach (var x in vector)
            {
                BinaryPrimitives.WriteSingleLittleEndian(four, x);
                file.Write(four);
            }
        }
    }

    public static void Bvecs(string path, byte[][] vectors)
    {
        using var file = File.Create(path);
        Span<byte> four = stackalloc byte[4];
        foreach (var vector in vectors)
        {
            BinaryPrimitives.WriteInt32LittleEndian(four, vector.Length);
            file.Write(four);
            file.Write(vector);
        }
    }

    /// <summary>A C-order 2-D .npy file of float32 (<paramref name="doubles"/> false) or float64, version 1.0.</summary>
    public static void Npy(string path, float[][] rows, bool doubles, bool bigEndian = false)
    {
        var descr = (bigEndian ? ">" : "<") + (doubles ? "f8" : "f4");
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows.Length}, {rows[0].Length}), }}";
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, .. "NUMPY"u8, 1, 0]);
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)padded.Length);
        file.Write(buffer[..2]);
        file.Write(Encoding.Latin1.GetBytes(padded));
        foreach (var row in rows)
        {
            foreach (var x in row)
            {
                switch (doubles, bigEndian)
                {
                    case (true, false): BinaryPrimitives.WriteDoubleLittleEndian(buffer, x); file.Write(buffer); break;
                    case (true, true): BinaryPrimitives.WriteDoubleBigEndian(buffer, x); file.Write(buffer); break;
                    case (false, false): BinaryPrimitives.WriteSingleLittleEndian(buffer, x); file.Write(buffer[..4]); break;
                    default: BinaryPrimitives.WriteSingleBigEndian(buffer, x); file.Write(buffer[..4]); break;
                }
            }
        }
    }
}
