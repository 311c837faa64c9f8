using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads a gzip file through once before any of its rows is used, so that a damaged or truncated file is refused
/// before anything is sent. The decompressor checks each member's CRC-32 and length against its trailer when it
/// reaches it, but a file cut short simply ends; so the CRC-32 and length of what came out are compared here with
/// the trailer the file ends with (its last member's). The memory taken is one buffer, whatever the file holds.
/// </summary>
internal static class GzipCheck
{
    private const int TrailerBytes = 8;
    private const int BufferBytes = 1 << 16;

    /// <summary>Checks the gzip file <paramref name="file"/> whole and returns its decompressed length; the file is
    /// left at position 0.</summary>
    /// <exception cref="InvalidDataException">The file ends early or fails its checksum.</exception>
    public static long DecompressedLength(FileStream file)
    {
        var (length, crc) = Digest(file, skip: 0);
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        file.Seek(-TrailerBytes, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Position = 0;
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc == expectedCrc && (uint)length == expectedSize)
        {
            return length;
        }
        // Several members (as bgzip writes): the trailer covers the last one, the last expectedSize bytes.
        if (expectedSize < length && Digest(file, length - expectedSize).Crc == expectedCrc)
        {
            file.Position = 0;
            return length;
        }
        throw new InvalidDataException(
            $"the gzip data ends early (truncated) after {length} decompressed bytes: its trailer (CRC-32, length) is missing or does not match");
    }

    /// <summary>The decompressed length and the CRC-32 of the decompressed bytes after the first
    /// <paramref name="skip"/>.</summary>
    private static (long Length, uint Crc) Digest(FileStream file, long skip)
    {
        file.Position = 0;
        var crc = new Crc32();
        var buffer = new byte[BufferBytes];
        long length = 0;
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                var from = (int)Math.Clamp(skip - length, 0, read);
                crc.Append(buffer.AsSpan(from, read - from));
                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"the gzip data is damaged after {length} decompressed bytes (it fails its CRC-32 or length check, or does not decompress): {e.Message}", e);
        }
        if (file.Length < TrailerBytes)
        {
            throw new InvalidDataException("the gzip data ends early (truncated): the file is shorter than a gzip trailer");
        }
        return (length, crc.GetCurrentHashAsUInt32());
    }
}
