namespace Vectord.VectorData;

/// <summary>
/// Splits an upsert over grain calls into calls the index accepts: at most <see cref="ItemLimits.MaxBatchItems"/>
/// items and an estimated size of at most <see cref="MaxBatchBytes"/> as JSON, the same bound a request body has, so
/// that one grain message stays far under Orleans' message size (a float takes 4 bytes there, up to 16 in JSON).
/// The HTTP client splits its bodies itself, by their exact size.
/// </summary>
internal static class ItemBatches
{
    /// <summary>Largest estimated size of one call: three quarters of the request body cap.</summary>
    public const long MaxBatchBytes = ItemLimits.MaxRequestBodyBytes / 4 * 3;

    // A float written as JSON text takes at most 15 characters ("-1.1754944E-38") and a comma.
    private const int BytesPerComponent = 16;

    // {"id":"","vector":[],"metadata":} and the comma between items.
    private const int BytesPerItem = 40;

    /// <summary>The items, in order, as consecutive batches within the limits; an item that alone exceeds the body
    /// budget travels alone (the service then answers what is wrong with it).</summary>
    public static IEnumerable<IndexItem[]> Split(IEnumerable<IndexItem> items)
    {
        var batch = new List<IndexItem>();
        long bytes = 0;
        foreach (var item in items)
        {
            long size = EstimateBytes(item);
            if (batch.Count > 0 && (batch.Count == ItemLimits.MaxBatchItems || bytes + size > MaxBatchBytes))
            {
                yield return [.. batch];
                batch.Clear();
                bytes = 0;
            }
            batch.Add(item);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    /// <summary>An upper bound of the item's size as JSON: a character of the id other than printable ASCII may be
    /// written as a six-character escape; the metadata is written as its bytes; a named vector takes its name (a
    /// storage name, printable ASCII) and six characters of punctuation.</summary>
    public static long EstimateBytes(IndexItem item) =>
        BytesPerItem + EscapedLength(item.Id) + (long)item.Vector.Length * BytesPerComponent + (item.Metadata?.Length ?? 0)
        + (item.Vectors?.Sum(v => 6 + EscapedLength(v.Key) + ((long)v.Value.Length * BytesPerComponent)) ?? 0);

    private static long EscapedLength(string text)
    {
        long length = 0;
        foreach (char c in text)
        {
            length += c is >= ' ' and < '\u007f' and not ('<' or '>' or '&' or '\'' or '+' or '`') ? 1 : 6;
        }
        return length;
    }
}
