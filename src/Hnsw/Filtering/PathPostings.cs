using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Filtering;

/// <summary>
/// The postings of one path: slots by value (numbers keyed by value, so <c>1</c> and <c>1.0</c> share one), the
/// distinct numbers in order for ranges, the distinct instants of date-time strings in order for theirs (with the
/// strings that name each), the slots holding <c>null</c>, and the slots holding an object or a
/// non-empty array. A slot holding any value is not empty either; that is read from the value postings.
/// </summary>
internal sealed class PathPostings
{
    // Estimated sizes: a dictionary entry (hash, next, 24-byte key, 16-byte posting) plus its bucket, and a sorted
    // set node (header, item, two children, colour).
    private const int ValueEntryBytes = 4 + 4 + 24 + 16 + 4;
    private const int NumberNodeBytes = 16 + 8 + 8 + 8 + 8;
    private const int ObjectBytes = 64;

    private readonly Dictionary<PayloadValue, SlotList> _values = [];
    private readonly SortedSet<double> _numbers = [];
    private readonly SortedSet<long> _instants = [];
    private readonly Dictionary<long, List<string>> _instantTexts = [];
    private SlotList _nulls;
    private SlotList _nonEmpty;

    /// <summary>Whether no slot is listed any more.</summary>
    public bool IsEmpty => _values.Count == 0 && _nulls.Count == 0 && _nonEmpty.Count == 0;

    public void Add(int slot, in PayloadEntry entry)
    {
        switch (entry.Kind)
        {
            case PayloadEntryKind.Value:
                ref SlotList posting = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, entry.Value, out bool existed);
                posting.Add(slot);
                if (!existed && entry.Value.Kind == PayloadValueKind.Number)
                {
                    _numbers.Add(entry.Value.Number);
                }
                else if (!existed && Rfc3339.TryParse(entry.Value.Text, out DateTimeOffset instant))
                {
                    AddInstant(instant.UtcTicks, entry.Value.Text!);
                }
                break;
            case PayloadEntryKind.Null:
                _nulls.Add(slot);
                break;
            default:
                _nonEmpty.Add(slot);
                break;
        }
    }

    public void Remove(int slot, in PayloadEntry entry)
    {
        switch (entry.Kind)
        {
            case PayloadEntryKind.Value:
                ref SlotList posting = ref CollectionsMarshal.GetValueRefOrNullRef(_values, entry.Value);
                if (Unsafe.IsNullRef(ref posting))
                {
                    return;
                }
                posting.Remove(slot);
                if (posting.Count == 0)
                {
                    _values.Remove(entry.Value);
                    if (entry.Value.Kind == PayloadValueKind.Number)
                    {
                        _numbers.Remove(entry.Value.Number);
                    }
                    else if (Rfc3339.TryParse(entry.Value.Text, out DateTimeOffset instant))
                    {
                        RemoveInstant(instant.UtcTicks, entry.Value.Text!);
                    }
                }
                break;
            case PayloadEntryKind.Null:
                _nulls.Remove(slot);
                break;
            default:
                _nonEmpty.Remove(slot);
                break;
        }
    }

    /// <summary>Adds the slots holding one of <paramref name="values"/>.</summary>
    public void AddValuesIn(ReadOnlySpan<PayloadValue> values, SlotSet into)
    {
        foreach (var value in values)
        {
            if (_values.TryGetValue(value, out var posting))
            {
                posting.AddTo(into);
            }
        }
    }

    /// <summary>Adds the slots holding a value not in <paramref name="excluded"/>.</summary>
    public void AddValuesNotIn(IReadOnlySet<PayloadValue> excluded, SlotSet into)
    {
        foreach (var (value, posting) in _values)
        {
            if (!excluded.Contains(value))
            {
                posting.AddTo(into);
            }
        }
    }

    /// <summary>Adds the slots holding a number in [<paramref name="low"/>, <paramref name="high"/>], leaving out
    /// the bounds themselves where <paramref name="lowOpen"/> or <paramref name="highOpen"/>.</summary>
    public void AddNumbersBetween(double low, bool lowOpen, double high, bool highOpen, SlotSet into)
    {
        foreach (double number in Between(_numbers, low, lowOpen, high, highOpen))
        {
            _values[PayloadValue.Of(number)].AddTo(into);
        }
    }

    /// <summary>Adds the slots holding a date-time string whose instant (UTC ticks) lies in [<paramref name="low"/>,
    /// <paramref name="high"/>], leaving out the bounds themselves where <paramref name="lowOpen"/> or
    /// <paramref name="highOpen"/>.</summary>
    public void AddInstantsBetween(long low, bool lowOpen, long high, bool highOpen, SlotSet into)
    {
        foreach (long ticks in Between(_instants, low, lowOpen, high, highOpen))
        {
            foreach (string text in _instantTexts[ticks])
            {
                _values[PayloadValue.Of(text)].AddTo(into);
            }
        }
    }

    /// <summary>The keys of <paramref name="keys"/> in [<paramref name="low"/>, <paramref name="high"/>], without the
    /// bounds themselves where <paramref name="lowOpen"/> or <paramref name="highOpen"/>.</summary>
    private static IEnumerable<T> Between<T>(SortedSet<T> keys, T low, bool lowOpen, T high, bool highOpen)
        where T : IComparable<T>
    {
        int order = low.CompareTo(high);
        if (keys.Count == 0 || order > 0 || (order == 0 && (lowOpen || highOpen)))
        {
            yield break;
        }
        foreach (T key in keys.GetViewBetween(low, high))
        {
            if ((lowOpen && key.CompareTo(low) == 0) || (highOpen && key.CompareTo(high) == 0))
            {
                continue;
            }
            yield return key;
        }
    }

    // One instant may be written several ways (10:00Z, 12:00+02:00): each text keeps its own value posting.
    private void AddInstant(long ticks, string text)
    {
        if (_instantTexts.TryGetValue(ticks, out var texts))
        {
            texts.Add(text);
            return;
        }
        _instantTexts[ticks] = [text];
        _instants.Add(ticks);
    }

    private void RemoveInstant(long ticks, string text)
    {
        if (!_instantTexts.TryGetValue(ticks, out var texts))
        {
            return;
        }
        texts.Remove(text);
        if (texts.Count == 0)
        {
            _instantTexts.Remove(ticks);
            _instants.Remove(ticks);
        }
    }

    /// <summary>Adds the slots holding <c>null</c> itself.</summary>
    public void AddNulls(SlotSet into) => _nulls.AddTo(into);

    /// <summary>Adds the slots holding something other than <c>null</c> or <c>[]</c>.</summary>
    public void AddNonEmpty(SlotSet into)
    {
        _nonEmpty.AddTo(into);
        foreach (var posting in _values.Values)
        {
            posting.AddTo(into);
        }
    }

    public long MemoryBytes(string path)
    {
        long bytes = ObjectBytes * 3 + StringBytes(path) + _nulls.MemoryBytes + _nonEmpty.MemoryBytes
            + (long)_values.Capacity * ValueEntryBytes + (long)_numbers.Count * NumberNodeBytes
            + (long)_instants.Count * (NumberNodeBytes + ValueEntryBytes + ObjectBytes);
        foreach (var (value, posting) in _values)
        {
            bytes += posting.MemoryBytes + (value.Text is { } text ? StringBytes(text) : 0);
        }
        return bytes;
    }

    private static long StringBytes(string text) => 24 + ((2L * text.Length + 7) & ~7L);
}
