using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Vectord;

/// <summary>
/// Orleans' wire form of <see cref="ItemMetadata"/>: exactly a string's (a length-prefixed field of UTF-8, taking part
/// in reference tracking as a string does), written from and read into the bytes with no transcoding. A peer built
/// when <c>IndexItem.Metadata</c> and <c>SearchHit.Metadata</c> were strings reads these fields as the same text and
/// writes fields this codec reads, so silos and clients of both builds work together during a rolling upgrade.
/// </summary>
[RegisterSerializer]
internal sealed class ItemMetadataCodec : IFieldCodec<ItemMetadata>
{
    /// <inheritdoc/>
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, ItemMetadata? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value)) { return; }
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(ItemMetadata), WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)value.Length);
        writer.Write(value.Utf8.Span);
    }

    /// <inheritdoc/>
    public ItemMetadata? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<ItemMetadata, TInput>(ref reader, field);
        }
        field.EnsureWireType(WireType.LengthPrefixed);
        var length = reader.ReadVarUInt32();
        if (length > Array.MaxLength) { throw new InvalidOperationException($"metadata of {length} bytes is beyond any array"); }
        var bytes = new byte[length];
        reader.ReadBytes(bytes);
        var result = ItemMetadata.Own(bytes, wellFormed: false);
        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }
}
