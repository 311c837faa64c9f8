using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vectord.Client;

/// <summary>
/// Splits a batch (add's items, delete's ids, the searches of a batch of searches) into request bodies
/// <c>{"field": [...]}</c> that each stay within what one call may carry: at most <c>maxBytes</c> of JSON (the
/// 64 MiB body cap), at most <c>maxCount</c> entries and, where entries have costs (the filters of searches), at most
/// <c>maxCost</c> together. Every entry is serialised once; entries keep their order. An entry too large or too
/// costly for a body of its own is sent alone, and the service's answer (413, 400) says so.
/// </summary>
internal static class BatchBodies
{
    /// <summary>The bodies for <paramref name="entries"/>, in order; none for an empty batch. Where
    /// <paramref name="costs"/> are given (each entry's, in order), a body's entries cost at most
    /// <paramref name="maxCost"/> together.</summary>
    public static IEnumerable<byte[]> Split<T>(IReadOnlyList<T> entries, string field, JsonTypeInfo<T> entryType,
        int maxCount, long maxBytes = ItemLimits.MaxRequestBodyBytes, IReadOnlyList<long>? costs = null, long maxCost = long.MaxValue)
    {
        var body = new ArrayBufferWriter<byte>();
        var entry = new ArrayBufferWriter<byte>();
        using var entryWriter = new Utf8JsonWriter(entry);
        JsonEncodedText name = JsonEncodedText.Encode(field);
        int count = 0;
        long cost = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            T value = entries[i];
            long entryCost = costs?[i] ?? 0;
            entry.ResetWrittenCount();
            entryWriter.Reset(entry);
            JsonSerializer.Serialize(entryWriter, value, entryType);
            entryWriter.Flush();

            long size = body.WrittenCount + 1 + entry.WrittenCount + Tail.Length;
            if (count > 0 && (count == maxCount || size > maxBytes || cost + entryCost > maxCost))
            {
                yield return Close(body);
                count = 0;
                cost = 0;
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
            cost += entryCost;
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
