using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vectord.Storage.Snapshots;

/// <summary>
/// The snapshot file: one index at one point in time, self-contained and self-checking. Version 1, little-endian:
/// <code>
/// "VDSNAPSH" | int32 version (1)
/// int32 n | n bytes of UTF-8 JSON header (at most 64 KiB):
///     {"index": str, "created": RFC 3339, "dimension", "m", "ef_search": int, "distance": "cosine"|"euclidean"|"dot",
///      "parts": int, "lengths": [int per part], "shard_scheme": str, "quantization": "none"|"int8" (absent before
///      quantization existed: none), "on_disk": bool (absent before the option existed: false)}
/// per part, in order: the part's engine image (the format of Vectord.Hnsw.HnswIndex.Save, its own sections
///     checked by xxhash) cut into frames: int32 length (1 to 1 MiB) | bytes; then an int32 0 ends the part
/// trailer: 32 bytes of SHA-256 over every byte before the trailer | "VDSNAPND"
/// </code>
/// Parts are framed so that a writer can stream an image whose length it does not know yet. The trailer makes a
/// damaged or truncated file fail as a whole, before anything is built from it (<see cref="SnapshotCheck"/>); the
/// SHA-256 an API reports for a snapshot is that of the whole file, trailer included. A later version of Vectord
/// reads every version it ever wrote; a version it does not know is refused.
/// </summary>
public static class SnapshotFile
{
    /// <summary>The version this build writes.</summary>
    public const int Version = 1;

    /// <summary>Largest frame of a part.</summary>
    public const int MaxFrame = 1 << 20;

    /// <summary>Largest JSON header.</summary>
    public const int MaxHeader = 64 << 10;

    /// <summary>Bytes before the header's JSON: magic, version, header length.</summary>
    public const int PrefixLength = 16;

    /// <summary>Bytes of the trailer: SHA-256 and end magic.</summary>
    public const int TrailerLength = 32 + 8;

    internal static ReadOnlySpan<byte> Magic => "VDSNAPSH"u8;

    internal static ReadOnlySpan<byte> EndMagic => "VDSNAPND"u8;

    private static ReadOnlySpan<byte> PartEnd => [0, 0, 0, 0];   // a frame of length 0

    /// <summary>Writes a snapshot to <paramref name="output"/>: the header, then each part's image as
    /// <paramref name="parts"/> writes it (in order), then the trailer.</summary>
    /// <returns>The file's length and its SHA-256 (lower-case hex), trailer included.</returns>
    public static (long Length, string Sha256) Write(Stream output, SnapshotHeader header, IReadOnlyList<Action<Stream>> parts)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count != header.Parts) { throw new ArgumentException("one writer per part is needed", nameof(parts)); }
        using var body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        void Emit(ReadOnlySpan<byte> bytes)
        {
            body.AppendData(bytes);
            whole.AppendData(bytes);
            output.Write(bytes);
            length += bytes.Length;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header, SnapshotJsonContext.Default.SnapshotHeader);
        Span<byte> prefix = stackalloc byte[PrefixLength];
        Magic.CopyTo(prefix);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[12..], json.Length);
        Emit(prefix);
        Emit(json);
        foreach (var part in parts)
        {
            using var frames = new FrameWriter(Emit);
            part(frames);
            frames.Flush();
            Emit(PartEnd);
        }

        Span<byte> trailer = stackalloc byte[TrailerLength];
        body.GetHashAndReset(trailer);   // of everything before the trailer
        EndMagic.CopyTo(trailer[32..]);
        output.Write(trailer);
        whole.AppendData(trailer);
        length += trailer.Length;
        output.Flush();
        return (length, Convert.ToHexStringLower(whole.GetHashAndReset()));
    }

    /// <summary>Reads the header of a snapshot, leaving <paramref name="input"/> at the first part.</summary>
    /// <exception cref="SnapshotFormatException">Not a snapshot, an unknown version, or a damaged header.</exception>
    public static SnapshotHeader ReadHeader(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<byte> prefix = stackalloc byte[PrefixLength];
        ReadExactly(input, prefix, "header");
        var length = CheckPrefix(prefix);
        var json = new byte[length];
        ReadExactly(input, json, "header");
        SnapshotHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(json, SnapshotJsonContext.Default.SnapshotHeader);
        }
        catch (JsonException e)
        {
            throw new SnapshotFormatException($"the header is not valid: {e.Message}");
        }
        if (header is null || header.Parts is < 1 or > IndexLimits.MaxShards || header.Lengths.Length != header.Parts || header.Lengths.Any(l => l < 0))
        {
            throw new SnapshotFormatException("the header is not valid: parts and lengths disagree");
        }
        return header;
    }

    /// <summary>Checks the fixed prefix: magic, a known version, a header length in range.</summary>
    /// <returns>The header's length.</returns>
    /// <exception cref="SnapshotFormatException">It is not a snapshot or of an unknown version.</exception>
    internal static int CheckPrefix(ReadOnlySpan<byte> prefix)
    {
        if (!prefix[..8].SequenceEqual(Magic)) { throw new SnapshotFormatException("not a Vectord snapshot (bad magic)"); }
        var version = BinaryPrimitives.ReadInt32LittleEndian(prefix[8..]);
        if (version != Version)
        {
            throw new SnapshotFormatException($"unknown snapshot version {version} (this server reads version {Version})");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix[12..]);
        if (length is < 2 or > MaxHeader) { throw new SnapshotFormatException("the header is not valid: bad length"); }
        return length;
    }

    /// <summary>A stream over the next part's image, reading its frames; it ends where the part ends. Read it to its end
    /// before opening the next part.</summary>
    public static Stream OpenPart(Stream input) => new FrameReader(input);

    /// <summary>Checks that, after the last part, only the trailer is left of <paramref name="input"/>.</summary>
    /// <exception cref="SnapshotFormatException">Something else follows the parts, or the trailer is cut short.</exception>
    public static void ReadEnd(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<byte> rest = stackalloc byte[TrailerLength + 1];
        if (input.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false) != TrailerLength)
        {
            throw new SnapshotFormatException("the parts do not end where the trailer begins");
        }
    }

    private static void ReadExactly(Stream input, Span<byte> buffer, string what)
    {
        if (input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new SnapshotFormatException($"the file is truncated (in the {what})");
        }
    }

    /// <summary>Cuts what a part writes into frames of at most <see cref="MaxFrame"/> bytes.</summary>
    private sealed class FrameWriter(FrameWriter.Sink emit) : Stream
    {
        public delegate void Sink(ReadOnlySpan<byte> bytes);

        private readonly byte[] _buffer = new byte[4 + MaxFrame];
        private int _used;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, MaxFrame - _used);
                buffer[..n].CopyTo(_buffer.AsSpan(4 + _used));
                _used += n;
                buffer = buffer[n..];
                if (_used == MaxFrame) { Flush(); }
            }
        }

        public override void Flush()
        {
            if (_used == 0) { return; }
            BinaryPrimitives.WriteInt32LittleEndian(_buffer, _used);
            emit(_buffer.AsSpan(0, 4 + _used));
            _used = 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Reads one part's frames as a plain stream; checks each frame's length.</summary>
    private sealed class FrameReader(Stream input) : Stream
    {
        private readonly byte[] _length = new byte[4];
        private int _left;
        private bool _ended;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) { return 0; }
            while (_left == 0)
            {
                if (_ended) { return 0; }
                SnapshotFile.ReadExactly(input, _length, "a part");
                _left = BinaryPrimitives.ReadInt32LittleEndian(_length);
                if (_left == 0) { _ended = true; }
                else if (_left is < 0 or > MaxFrame)
                {
                    (_left, _ended) = (0, true);
                    throw new SnapshotFormatException("a part is damaged (bad frame length)");
                }
            }
            var n = input.Read(buffer[..Math.Min(buffer.Length, _left)]);
            if (n == 0) { throw new SnapshotFormatException("the file is truncated (in a part)"); }
            _left -= n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
