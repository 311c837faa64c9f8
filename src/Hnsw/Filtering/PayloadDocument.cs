using System.Text.Json;

namespace Vectord.Hnsw.Filtering;

/// <summary>What <see cref="PayloadDocument.Extract"/> made of an item's metadata.</summary>
public enum PayloadExtraction
{
    /// <summary>Every entry was extracted (metadata that is absent, not JSON or not an object has none).</summary>
    Complete = 0,
    /// <summary>The metadata holds more than <see cref="PayloadDocument.MaxEntriesPerItem"/> entries; the first are
    /// extracted.</summary>
    Truncated = 1,
    /// <summary>The metadata holds a key or string that System.Text.Json cannot decode (an unpaired surrogate, or
    /// bytes that are not UTF-8); nothing is extracted.</summary>
    Unreadable = 2,
}

/// <summary>
/// Reads an item's metadata (UTF-8 JSON) into the <see cref="PayloadEntry"/> list that <see cref="PayloadIndex"/>
/// indexes. Only a JSON object has paths: metadata that is a scalar, an array, or not valid JSON yields nothing.
/// </summary>
public static class PayloadDocument
{
    /// <summary>
    /// Most entries kept for one item: each string, number and boolean (every array element on its own), each
    /// <c>null</c> held by a key, and each object or non-empty array held by a key count as one. Entries past this
    /// cap, in document order, are not extracted (<see cref="PayloadExtraction.Truncated"/>): the service refuses
    /// such items, and <see cref="PayloadIndex"/> keeps any it is given out of every negative match.
    /// </summary>
    public const int MaxEntriesPerItem = 1024;

    /// <summary>
    /// Deepest nesting indexed, the top-level object being level 1; stored metadata never nests deeper. Objects and
    /// arrays nested deeper are not indexed (the key holding them still counts as not empty).
    /// </summary>
    public const int MaxDepth = 32;

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 1_000_000 };

    /// <summary>
    /// Replaces the contents of <paramref name="entries"/> with the facts of <paramref name="metadata"/>: for each
    /// key, at the dotted path of the keys leading to it (arrays add no step; keys that are empty or contain a dot
    /// cannot be named by a path and are skipped), a <see cref="PayloadEntryKind.Value"/> per string, number or
    /// boolean it holds, directly or in (nested) arrays; a <see cref="PayloadEntryKind.Null"/> when it holds
    /// <c>null</c>; a <see cref="PayloadEntryKind.NonEmpty"/> when it holds an object or a non-empty array. Objects
    /// inside arrays contribute their keys under the array's path. Numbers beyond the range of a double count as
    /// infinities. Never throws: metadata that System.Text.Json cannot read (not JSON, or a string with an unpaired
    /// surrogate) yields nothing.
    /// </summary>
    /// <param name="metadata">The item's metadata; empty when it has none.</param>
    /// <param name="entries">Cleared, then filled, at most <see cref="MaxEntriesPerItem"/> entries.</param>
    /// <returns>Whether the entries are all the metadata holds.</returns>
    public static PayloadExtraction Extract(ReadOnlySpan<byte> metadata, List<PayloadEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.Clear();
        if (metadata.IsEmpty)
        {
            return PayloadExtraction.Complete;
        }
        try
        {
            // One entry past the cap tells a full item from a truncated one.
            Walk(new Utf8JsonReader(metadata, s_options), entries);
        }
        catch (JsonException)
        {
            entries.Clear();   // not JSON: no paths, as for metadata that is not an object
            return PayloadExtraction.Complete;
        }
        catch (InvalidOperationException)
        {
            entries.Clear();
            return PayloadExtraction.Unreadable;
        }
        if (entries.Count > MaxEntriesPerItem)
        {
            entries.RemoveRange(MaxEntriesPerItem, entries.Count - MaxEntriesPerItem);
            return PayloadExtraction.Truncated;
        }
        return PayloadExtraction.Complete;
    }

    private static void Walk(Utf8JsonReader reader, List<PayloadEntry> entries)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        // The path of each open container, innermost last: an object's is the prefix of its keys, an array's the
        // path its elements belong to. The top-level object has none.
        var open = new List<string?> { null };
        while (open.Count > 0 && entries.Count <= MaxEntriesPerItem && reader.Read())
        {
            string? path = open[^1];
            switch (reader.TokenType)
            {
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.RemoveAt(open.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    string key = reader.GetString()!;
                    reader.Read();
                    if (key.Length == 0 || key.Contains('.', StringComparison.Ordinal))
                    {
                        reader.Skip();
                    }
                    else
                    {
                        KeyValue(ref reader, path is null ? key : string.Concat(path, ".", key), entries, open);
                    }
                    break;
                default: // inside an object every token is a key or its end, so this is an array element
                    Element(ref reader, path!, entries, open);
                    break;
            }
        }
    }

    /// <summary>The value a key holds, the reader on its first token.</summary>
    private static void KeyValue(ref Utf8JsonReader reader, string path, List<PayloadEntry> entries, List<string?> open)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                entries.Add(new PayloadEntry(path, PayloadEntryKind.Null, default));
                break;
            case JsonTokenType.StartObject:
                entries.Add(new PayloadEntry(path, PayloadEntryKind.NonEmpty, default));
                Enter(ref reader, path, open);
                break;
            case JsonTokenType.StartArray:
                var peek = reader;
                peek.Read();
                if (peek.TokenType == JsonTokenType.EndArray)
                {
                    reader = peek;
                    break;
                }
                entries.Add(new PayloadEntry(path, PayloadEntryKind.NonEmpty, default));
                Enter(ref reader, path, open);
                break;
            default:
                entries.Add(new PayloadEntry(path, PayloadEntryKind.Value, Scalar(ref reader)));
                break;
        }
    }

    /// <summary>An array element, the reader on its first token: a null adds nothing, containers open.</summary>
    private static void Element(ref Utf8JsonReader reader, string path, List<PayloadEntry> entries, List<string?> open)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                break;
            case JsonTokenType.StartObject:
                Enter(ref reader, path, open);
                break;
            case JsonTokenType.StartArray:
                Enter(ref reader, path, open);
                break;
            default:
                entries.Add(new PayloadEntry(path, PayloadEntryKind.Value, Scalar(ref reader)));
                break;
        }
    }

    private static void Enter(ref Utf8JsonReader reader, string path, List<string?> open)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            reader.Skip();
            return;
        }
        open.Add(path);
    }

    private static PayloadValue Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => PayloadValue.Of(reader.GetString()!),
        JsonTokenType.True => PayloadValue.Of(true),
        JsonTokenType.False => PayloadValue.Of(false),
        _ => PayloadValue.Of(reader.TryGetDouble(out double number) ? number
            : reader.ValueSpan[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity),
    };
}
