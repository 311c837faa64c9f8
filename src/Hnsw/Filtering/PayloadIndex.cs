namespace Vectord.Hnsw.Filtering;

/// <summary>
/// Inverted indexes over the metadata of the items in an index's slots, answering a <see cref="PayloadFilter"/>
/// with the set of live slots it matches without reading any item. Per path it keeps the slots holding each
/// string, number and boolean (an array of slots, or a bitmap where that is smaller), the distinct numbers in order
/// (so a range visits only the numbers within it), the slots holding <c>null</c> and those holding an object or a
/// non-empty array. It keeps nothing per slot: to remove an item, pass the entries extracted again from the
/// metadata it was added with.
/// </summary>
/// <remarks>
/// Thread safety: one writer at a time calls <see cref="Add"/>, <see cref="Remove"/> and <see cref="Clear"/>,
/// while no reader runs; any number of threads may call <see cref="Evaluate"/> and read <see cref="MemoryBytes"/>
/// at once, which change nothing shared.
/// </remarks>
public sealed class PayloadIndex
{
    private const int PathEntryBytes = 4 + 4 + 8 + 8 + 4;

    private Dictionary<string, PathPostings> _paths = new(StringComparer.Ordinal);

    /// <summary>An estimate of the managed bytes held: dictionaries by capacity, posting arrays by length, keys.</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = 64 + (long)_paths.Capacity * PathEntryBytes;
            foreach (var (path, postings) in _paths)
            {
                bytes += postings.MemoryBytes(path);
            }
            return bytes;
        }
    }

    /// <summary>Indexes <paramref name="entries"/> (from <see cref="PayloadDocument.Extract"/>) as those of
    /// <paramref name="slot"/>, which must not be indexed already.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is negative.</exception>
    public void Add(int slot, ReadOnlySpan<PayloadEntry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        foreach (ref readonly var entry in entries)
        {
            if (!_paths.TryGetValue(entry.Path, out var postings))
            {
                postings = new PathPostings();
                _paths.Add(entry.Path, postings);
            }
            postings.Add(slot, entry);
        }
    }

    /// <summary>Stops indexing <paramref name="slot"/> under <paramref name="entries"/>, the entries it was added
    /// with. Values and paths no slot holds any more are dropped.</summary>
    public void Remove(int slot, ReadOnlySpan<PayloadEntry> entries)
    {
        foreach (ref readonly var entry in entries)
        {
            if (_paths.TryGetValue(entry.Path, out var postings))
            {
                postings.Remove(slot, entry);
                if (postings.IsEmpty)
                {
                    _paths.Remove(entry.Path);
                }
            }
        }
    }

    /// <summary>Drops everything indexed.</summary>
    public void Clear() => _paths = new(StringComparer.Ordinal);

    /// <summary>The slots of <paramref name="live"/> that <paramref name="filter"/> matches, in a new set of the
    /// same capacity.</summary>
    /// <param name="filter">The condition.</param>
    /// <param name="live">The slots holding items; its capacity is the slot count.</param>
    /// <param name="slotOfId">The slot of an id, or -1 for an unknown id (for <see cref="IdIn"/>).</param>
    public SlotSet Evaluate(PayloadFilter filter, SlotSet live, Func<string, int> slotOfId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(slotOfId);
        var result = Match(filter, live, slotOfId);
        result.IntersectWith(live);
        return result;
    }

    /// <summary>The slots matching <paramref name="filter"/>; not yet limited to <paramref name="live"/>.</summary>
    private SlotSet Match(PayloadFilter filter, SlotSet live, Func<string, int> slotOfId)
    {
        switch (filter)
        {
            case AllOf all:
                var every = live.Clone();
                foreach (var child in all.Filters)
                {
                    every.IntersectWith(Match(child, live, slotOfId));
                }
                return every;
            case AnyOf any:
                var some = new SlotSet(live.Capacity);
                foreach (var child in any.Filters)
                {
                    some.UnionWith(Match(child, live, slotOfId));
                }
                return some;
            case NotOf not:
                var others = live.Clone();
                others.ExceptWith(Match(not.Filter, live, slotOfId));
                return others;
            case IdIn ids:
                return Ids(ids.Ids, live, slotOfId);
            case IsEmpty empty:
                var empties = live.Clone();
                if (_paths.TryGetValue(empty.Path, out var postings))
                {
                    var filled = new SlotSet(live.Capacity);
                    postings.AddNonEmpty(filled);
                    empties.ExceptWith(filled);
                }
                return empties;
            default:
                var matched = new SlotSet(live.Capacity);
                if (_paths.TryGetValue(PathOf(filter), out var path))
                {
                    MatchPath(filter, path, matched);
                }
                return matched;
        }
    }

    private static SlotSet Ids(string[] ids, SlotSet live, Func<string, int> slotOfId)
    {
        var matched = new SlotSet(live.Capacity);
        foreach (string id in ids)
        {
            int slot = slotOfId(id);
            if ((uint)slot < (uint)live.Capacity)
            {
                matched.Add(slot);
            }
        }
        return matched;
    }

    private static string PathOf(PayloadFilter filter) => filter switch
    {
        ValueIn f => f.Path,
        ValueNotIn f => f.Path,
        NumberRange f => f.Path,
        IsNull f => f.Path,
        _ => throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter)),
    };

    private static void MatchPath(PayloadFilter filter, PathPostings path, SlotSet into)
    {
        switch (filter)
        {
            case ValueIn f:
                path.AddValuesIn(f.Values, into);
                break;
            case ValueNotIn f:
                path.AddValuesNotIn(f.Values.ToHashSet(), into);
                break;
            case NumberRange f:
                path.AddNumbersBetween(
                    Math.Max(f.Gt ?? double.NegativeInfinity, f.Gte ?? double.NegativeInfinity),
                    f.Gt is { } gt && gt >= (f.Gte ?? double.NegativeInfinity),
                    Math.Min(f.Lt ?? double.PositiveInfinity, f.Lte ?? double.PositiveInfinity),
                    f.Lt is { } lt && lt <= (f.Lte ?? double.PositiveInfinity),
                    into);
                break;
            default:
                path.AddNulls(into);
                break;
        }
    }
}
