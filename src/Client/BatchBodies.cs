using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vectord.Client;

/// <summary>
/// Splits a batch (add's items, delete's ids, the searches of a batch of searches) into request bodies
/// <c>{"field": [...]}</c> that each stay within what one call may carry: at most <c>maxBytes</c> of JSON (the
/// 64 MiB body cap) and at most <c>maxCount</c> entries. Every entry is serialised once; entries keep their order.
/// An entry too large for a body of its own is sent alone, and the service's answer (413) says so.
/// </summary>
internal static class BatchBodies
{
    /// <summary>The bodies for <paramref name="entries"/>, in order; none for an empty batch.</summary>
    public static IEnumerable<byte[]> Split<T>(IReadOnlyList<T> entries, string field, JsonTypeInfo<T> entryType,
        int maxCount, long maxBytes = ItemLimits.MaxRequestBodyBytes)
    {
        var body = new ArrayBufferWriter<byte>();
        var entry = new ArrayBufferWriter<byte>();
        using var entryWriter = new Utf8JsonWriter(entry);
        JsonEncodedText name = JsonEncodedText.Encode(field);
        int count = 0;
        foreach (T value in entries)
        {
            entry.ResetWrittenCount();
            entryWriter.Reset(entry);
            JsonSerializer.Serialize(entryWriter, value, entryType);
            entryWriter.Flush();

            long size = body.WrittenCount + 1 + entry.WrittenCount + Tail.Length;
            if (count > 0 && (count == maxCount || size > maxBytes))
            {
                yield return Close(body);
                count = 0;
            }
            if (count == 0)
            {
                body.ResetWrittenCount();
                body.Write("{\""u8);
                body.Write(name.EncodedUtf8Bytes);
                body.Write("\":["u8);
            }
            else
            {
                body.Write(","u8);
            }
            body.Write(entry.WrittenSpan);
            count++;
        }
        if (count > 0)
        {
            yield return Close(body);
        }
    }

    private static ReadOnlySpan<byte> Tail => "]}"u8;

    private static byte[] Close(ArrayBufferWriter<byte> body)
    {
        body.Write(Tail);
        return body.WrittenSpan.ToArray();
    }
}
