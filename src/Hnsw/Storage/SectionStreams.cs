using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Storage;

/// <summary>Writes the persisted format through a fixed buffer: sections are tagged, length-prefixed and
/// followed by the XxHash64 of their tag, length and payload.</summary>
internal sealed class SectionWriter(Stream stream)
{
    private const int BufferSize = 1 << 16;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly XxHash64 _hash = new();
    private int _position;
    private int _hashStart;

    public void BeginSection(SectionTag tag, long length)
    {
        SealHash();
        _hash.Reset();
        WriteByte((byte)tag);
        WriteInt64(length);
    }

    /// <summary>Writes the checksum of everything written since the last <see cref="BeginSection"/> (or since the start).</summary>
    public void EndSection()
    {
        SealHash();
        Span<byte> checksum = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, _hash.GetCurrentHashAsUInt64());
        WriteBytes(checksum);
        _hashStart = _position;
        _hash.Reset();
    }

    /// <summary>Restarts the checksum at the current position (an image's header is hashed from its start).</summary>
    public void StartHash()
    {
        _hashStart = _position;
        _hash.Reset();
    }

    public void WriteByte(byte value)
    {
        Reserve(1);
        _buffer[_position++] = value;
    }

    public void WriteInt32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_position == BufferSize)
            {
                FlushBuffer();
            }
            int n = Math.Min(bytes.Length, BufferSize - _position);
            bytes[..n].CopyTo(_buffer.AsSpan(_position));
            _position += n;
            bytes = bytes[n..];
        }
    }

    public void WriteInt32s(ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(MemoryMarshal.AsBytes(values));
            return;
        }
        foreach (int v in values)
        {
            WriteInt32(v);
        }
    }

    public void WriteSingles(ReadOnlySpan<float> values) => WriteInt32s(MemoryMarshal.Cast<float, int>(values));

    public void Flush()
    {
        FlushBuffer();
        stream.Flush();
    }

    private void Reserve(int bytes)
    {
        if (_position + bytes > BufferSize)
        {
            FlushBuffer();
        }
    }

    private void SealHash()
    {
        _hash.Append(_buffer.AsSpan(_hashStart, _position - _hashStart));
        _hashStart = _position;
    }

    private void FlushBuffer()
    {
        SealHash();
        stream.Write(_buffer, 0, _position);
        _position = 0;
        _hashStart = 0;
    }
}

/// <summary>Section tags of the persisted format, in file order.</summary>
internal enum SectionTag : byte
{
    Ids = 1,
    Metadata = 2,
    Vectors = 3,
    Graph = 4,
    Quantizer = 5,
    Codes = 6,
}

/// <summary>Raised while parsing a section whose content is inconsistent; reported only when the section's
/// checksum matches (otherwise the checksum mismatch is the better explanation).</summary>
internal sealed class SectionCorruptException(string message) : Exception(message);

/// <summary>Reads the persisted format through a fixed buffer, hashing what it consumes and turning an early
/// end of stream into <see cref="HnswFormatException"/> naming the part being read. With a <paramref name="limit"/>
/// (the bytes the input may have), a section claiming more than is left is refused before its payload is read, so no
/// length inside it can make a reader allocate beyond what the input holds.</summary>
internal sealed class SectionReader(Stream stream, long? limit = null)
{
    private const int BufferSize = 1 << 16;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly XxHash64 _hash = new();
    private int _position;
    private int _end;
    private int _hashStart;
    private long _remaining = long.MaxValue;
    private long _consumed;

    /// <summary>The part being read, used in messages ("header", "ids", ...).</summary>
    public string Part { get; set; } = "header";

    /// <summary>Bytes left in the current section's payload.</summary>
    public long Remaining => _remaining;

    /// <summary>Starts reading a section: reads its tag and length (hashed) and limits reads to the payload.</summary>
    public long BeginSection(SectionTag tag, string name)
    {
        SealHash();
        _hash.Reset();
        _remaining = long.MaxValue;
        Part = name;
        byte actual = ReadByte();
        long length = ReadInt64();
        if (actual != (byte)tag)
        {
            throw new HnswFormatException($"unexpected section tag {actual} where section {name} ({(byte)tag}) was expected");
        }
        if (length < 0)
        {
            throw new HnswFormatException($"negative length in section {name}");
        }
        if (limit is { } bytes && length > bytes - _consumed)
        {
            throw new HnswFormatException($"truncated: section {name} claims {length} bytes but the input holds {Math.Max(bytes - _consumed, 0)} more");
        }
        _remaining = length;
        return length;
    }

    /// <summary>Reads and skips whatever is left of the payload (still hashing it).</summary>
    public void Drain()
    {
        Span<byte> sink = stackalloc byte[4096];
        while (_remaining > 0)
        {
            ReadBytes(sink[..(int)Math.Min(sink.Length, _remaining)]);
        }
    }

    /// <summary>Reads the checksum following the section and compares it with the hash of what was read.</summary>
    public bool EndSection()
    {
        SealHash();
        ulong expected = _hash.GetCurrentHashAsUInt64();
        _remaining = long.MaxValue;
        Span<byte> checksum = stackalloc byte[8];
        ReadBytes(checksum);
        _hashStart = _position;
        _hash.Reset();
        return BinaryPrimitives.ReadUInt64LittleEndian(checksum) == expected;
    }

    /// <summary>Resets the hash and restarts hashing at the current position (the header is hashed from its start).</summary>
    public void StartHash()
    {
        _hashStart = _position;
        _hash.Reset();
    }

    public byte ReadByte()
    {
        Span<byte> b = stackalloc byte[1];
        ReadBytes(b);
        return b[0];
    }

    public int ReadInt32()
    {
        Span<byte> b = stackalloc byte[4];
        ReadBytes(b);
        return BinaryPrimitives.ReadInt32LittleEndian(b);
    }

    public long ReadInt64()
    {
        Span<byte> b = stackalloc byte[8];
        ReadBytes(b);
        return BinaryPrimitives.ReadInt64LittleEndian(b);
    }

    public void ReadInt32s(Span<int> values)
    {
        ReadBytes(MemoryMarshal.AsBytes(values));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }
    }

    public void ReadSingles(Span<float> values) => ReadInt32s(MemoryMarshal.Cast<float, int>(values));

    public void ReadBytes(Span<byte> destination)
    {
        if (destination.Length > _remaining)
        {
            throw new SectionCorruptException($"section {Part} is shorter than its content");
        }
        _remaining -= destination.Length;
        _consumed += destination.Length;
        while (!destination.IsEmpty)
        {
            if (_position == _end)
            {
                Refill();
            }
            int n = Math.Min(destination.Length, _end - _position);
            _buffer.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            destination = destination[n..];
        }
    }

    /// <summary>True when the stream has no byte left.</summary>
    public bool AtEnd()
    {
        if (_position < _end)
        {
            return false;
        }
        SealHash();
        _position = _end = _hashStart = 0;
        return stream.Read(_buffer, 0, BufferSize) is var n && (_end = n) == 0;
    }

    private void Refill()
    {
        SealHash();
        _position = 0;
        _hashStart = 0;
        _end = 0;
        int n = stream.Read(_buffer, 0, BufferSize);
        if (n <= 0)
        {
            throw new HnswFormatException(Part is "header" or "footer" ? $"truncated in {Part}" : $"truncated in section {Part}");
        }
        _end = n;
    }

    private void SealHash()
    {
        _hash.Append(_buffer.AsSpan(_hashStart, _position - _hashStart));
        _hashStart = _position;
    }
}
