using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Vectord.Hnsw;

namespace Vectord.Storage.Log;

/// <summary>What a log record does.</summary>
internal enum WalKind : byte
{
    Add = 1,
    Delete = 2,
}

/// <summary>
/// One write-ahead log record: an add (upsert) batch or a delete batch, with the sequence number it was written
/// at. Binary layout, little-endian: magic <c>VWAL</c>, version (1 byte), kind (1 byte), 2 reserved bytes,
/// sequence (int64), count (int32); per add item: id, vector length (int32) and floats, metadata length (int32,
/// −1 = none) and bytes; per delete: id; ids are int32 length + UTF-8. A CRC-32 of everything before it ends the record.
/// </summary>
internal sealed record WalRecord(long Seq, WalKind Kind, IReadOnlyList<VectorItem> Items, IReadOnlyList<string> Ids)
{
    private const uint Magic = 0x4C415756; // "VWAL"
    private const byte Version = 1;
    /// <summary>Bytes of the record's header, which ends with its count of items or ids.</summary>
    public const int HeaderLength = 4 + 1 + 1 + 2 + 8 + 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static WalRecord Add(long seq, IReadOnlyList<VectorItem> items) => new(seq, WalKind.Add, items, []);

    public static WalRecord Delete(long seq, IReadOnlyList<string> ids) => new(seq, WalKind.Delete, [], ids);

    /// <summary>Items an add record holds, from its header alone (0 for a delete, or a header that is not a record's:
    /// the full decode names what is wrong).</summary>
    public static int AddsIn(ReadOnlySpan<byte> header) =>
        header.Length >= HeaderLength && BinaryPrimitives.ReadUInt32LittleEndian(header) == Magic && header[5] == (byte)WalKind.Add
            ? Math.Max(BinaryPrimitives.ReadInt32LittleEndian(header[16..]), 0)
            : 0;

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(HeaderLength + 64);
        var header = buffer.GetSpan(HeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = Version;
        header[5] = (byte)Kind;
        header[6] = 0;
        header[7] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], Seq);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], Kind == WalKind.Add ? Items.Count : Ids.Count);
        buffer.Advance(HeaderLength);
        if (Kind == WalKind.Add)
        {
            foreach (var item in Items)
            {
                WriteBytes(buffer, StrictUtf8.GetBytes(item.Id));
                WriteInt(buffer, item.Vector.Length);
                buffer.Write(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
                if (item.Metadata is null) { WriteInt(buffer, -1); }
                else { WriteBytes(buffer, item.Metadata); }
            }
        }
        else
        {
            foreach (var id in Ids) { WriteBytes(buffer, StrictUtf8.GetBytes(id)); }
        }
        WriteUInt(buffer, Crc32.HashToUInt32(buffer.WrittenSpan));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes and verifies a record.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an intact record of sequence <paramref name="expectedSeq"/>.</exception>
    public static WalRecord Decode(ReadOnlySpan<byte> data, long expectedSeq)
    {
        if (data.Length < HeaderLength + 4) { throw new InvalidDataException("truncated log record"); }
        var body = data[..^4];
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..])) { throw new InvalidDataException("log record checksum mismatch"); }
        if (BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic) { throw new InvalidDataException("not a log record"); }
        if (body[4] != Version) { throw new InvalidDataException($"unknown log record version {body[4]}"); }
        var kind = (WalKind)body[5];
        var seq = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
        if (seq != expectedSeq) { throw new InvalidDataException($"log record holds sequence {seq}, expected {expectedSeq}"); }
        var count = BinaryPrimitives.ReadInt32LittleEndian(body[16..]);
        if (count < 0) { throw new InvalidDataException("negative count in log record"); }
        var reader = new Reader(body[HeaderLength..]);
        WalRecord record;
        switch (kind)
        {
            case WalKind.Add:
                var items = new List<VectorItem>(Math.Min(count, 1 << 16));
                for (var i = 0; i < count; i++)
                {
                    var id = reader.String();
                    var length = reader.Int();
                    var vector = MemoryMarshal.Cast<byte, float>(reader.Bytes(checked(length * sizeof(float)))).ToArray();
                    var metaLength = reader.Int();
                    var metadata = metaLength == -1 ? null : reader.Bytes(metaLength).ToArray();
                    items.Add(new VectorItem(id, vector, metadata));
                }
                record = Add(seq, items);
                break;
            case WalKind.Delete:
                var ids = new List<string>(Math.Min(count, 1 << 16));
                for (var i = 0; i < count; i++) { ids.Add(reader.String()); }
                record = Delete(seq, ids);
                break;
            default:
                throw new InvalidDataException($"unknown log record kind {(byte)kind}");
        }
        if (!reader.AtEnd) { throw new InvalidDataException("trailing bytes in log record"); }
        return record;
    }

    private static void WriteInt(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteUInt(ArrayBufferWriter<byte> buffer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        WriteInt(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> rest = data;

        public readonly bool AtEnd => rest.IsEmpty;

        public int Int()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            return value;
        }

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || length > rest.Length) { throw new InvalidDataException("truncated log record"); }
            var result = rest[..length];
            rest = rest[length..];
            return result;
        }

        public string String()
        {
            try
            {
                return StrictUtf8.GetString(Bytes(Int()));
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException("invalid UTF-8 in log record");
            }
        }
    }
}
