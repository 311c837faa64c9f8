namespace Vectord.Hnsw.Filtering;

/// <summary>One key items are ordered by: a dotted path into their metadata, and the direction.</summary>
/// <param name="Path">The dotted path (as in filters).</param>
/// <param name="Descending">Largest first.</param>
public readonly record struct SortKey(string Path, bool Descending = false);

/// <summary>What an item holds at a sort key's path.</summary>
public enum SortValueKind
{
    /// <summary>A number.</summary>
    Number = 0,
    /// <summary>A date-time string (see <see cref="Rfc3339"/>), compared as an instant.</summary>
    Instant = 1,
    /// <summary>Another string, compared ordinally.</summary>
    Text = 2,
    /// <summary>A boolean, false first.</summary>
    Bool = 3,
    /// <summary>Nothing: the path is absent or holds no string, number or boolean.</summary>
    Missing = 4,
}

/// <summary>An item's value at one sort key: the first string, number or boolean at the path (in document order,
/// the first element of an array).</summary>
public readonly record struct SortValue(SortValueKind Kind, double Number, string? Text)
{
    /// <summary>The value of a path that holds none.</summary>
    public static readonly SortValue Missing = new(SortValueKind.Missing, 0, null);
}

/// <summary>
/// The order of items by metadata keys (<c>order_by</c>): per key, numbers by value, then date-time strings by instant,
/// then other strings ordinally, then booleans, each kind ascending or descending as the key says; an item without a
/// value at a key comes after every item with one, in either direction. Keys apply in turn; items equal on every key
/// are ordered by id (ordinal), so the order is total and the same on every part and copy.
/// </summary>
public static class PayloadOrder
{
    /// <summary>The values of <paramref name="metadata"/> at <paramref name="keys"/>.</summary>
    /// <param name="metadata">The item's metadata (UTF-8 JSON); empty when it has none.</param>
    /// <param name="keys">The sort keys.</param>
    /// <param name="scratch">A list the extraction may reuse.</param>
    public static SortValue[] ValuesOf(ReadOnlySpan<byte> metadata, IReadOnlyList<SortKey> keys, List<PayloadEntry> scratch)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(scratch);
        var values = new SortValue[keys.Count];
        Array.Fill(values, SortValue.Missing);
        if (metadata.IsEmpty) { return values; }
        PayloadDocument.Extract(metadata, scratch);
        for (int k = 0; k < keys.Count; k++)
        {
            foreach (var entry in scratch)
            {
                if (entry.Kind == PayloadEntryKind.Value && string.Equals(entry.Path, keys[k].Path, StringComparison.Ordinal))
                {
                    values[k] = Of(entry.Value);
                    break;
                }
            }
        }
        return values;
    }

    private static SortValue Of(PayloadValue value) => value.Kind switch
    {
        PayloadValueKind.Number => new SortValue(SortValueKind.Number, value.Number, null),
        PayloadValueKind.Bool => new SortValue(SortValueKind.Bool, value.Number, null),
        _ => Rfc3339.TryParse(value.Text, out var instant)
            ? new SortValue(SortValueKind.Instant, instant.UtcTicks, null)
            : new SortValue(SortValueKind.Text, 0, value.Text),
    };

    /// <summary>Compares two items by their values at <paramref name="keys"/>, then by id.</summary>
    public static int Compare(SortValue[] x, string xId, SortValue[] y, string yId, IReadOnlyList<SortKey> keys)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(keys);
        for (int k = 0; k < keys.Count; k++)
        {
            int order = Compare(x[k], y[k], keys[k].Descending);
            if (order != 0) { return order; }
        }
        return string.CompareOrdinal(xId, yId);
    }

    private static int Compare(SortValue x, SortValue y, bool descending)
    {
        if (x.Kind == SortValueKind.Missing || y.Kind == SortValueKind.Missing)
        {
            return (x.Kind == SortValueKind.Missing).CompareTo(y.Kind == SortValueKind.Missing);   // missing last either way
        }
        int order = x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind)
            : x.Kind == SortValueKind.Text ? string.CompareOrdinal(x.Text, y.Text)
            : x.Number.CompareTo(y.Number);
        return descending ? -order : order;
    }
}
