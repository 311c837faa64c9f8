using System.Buffers.Binary;
using System.Text;

namespace Vectord.Cli.Tests;

/// <summary>Writes small vector files of every format the tool reads.</summary>
internal static class TestFiles
{
    public static void Text(string path, params string[] lines) => File.WriteAllText(path, string.Join('\n', lines) + "\n");

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
