namespace Vectord.Hnsw.Filtering;

/// <summary>
/// Inverted indexes over the metadata of the items in an index's slots, answering a <see cref="PayloadFilter"/>
/// with the set of live slots it matches without reading any item. Per path it keeps the slots holding each
/// string, number and boolean (an array of slots, or a bitmap where that is smaller), the distinct numbers in order
/// (so a range visits only the numbers within it), the slots holding <c>null</c> and those holding an object or a
/// non-empty array. Per slot it keeps only whether the slot was indexed in part: to remove an item, pass the
/// entries extracted again from the metadata it was added with.
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

    /// <summary>Slots whose metadata was not indexed whole (<see cref="PayloadExtraction"/>): no negative condition
    /// (<see cref="NotOf"/>, <see cref="IsEmpty"/>) ever matches them, as what it tests may lie in the part unseen.</summary>
    private HashSet<int> _partial = [];

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
    /// <param name="slot">The item's slot.</param>
    /// <param name="entries">Its entries.</param>
    /// <param name="partial">Whether the entries are not all its metadata holds: negative conditions then never
    /// match the slot.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is negative.</exception>
    public void Add(int slot, ReadOnlySpan<PayloadEntry> entries, bool partial = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        if (partial)
        {
            _partial.Add(slot);
        }
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
        _partial.Remove(slot);
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
    public void Clear()
    {
        _paths = new(StringComparer.Ordinal);
        _partial = [];
    }

    /// <summary>The slots of <paramref name="live"/> that <paramref name="filter"/> matches, in a new set of the
    /// same capacity.</summary>
    /// <param name="filter">The condition.</param>
    /// <param name="live">The slots holding items; its capacity is the slot count.</param>
    /// <param name="slotOfId">The slot of an id, or -1 for an unknown id (for <see cref="IdIn"/>).</param>
    /// <param name="check">Called before each condition is evaluated; it may throw to stop the evaluation (a
    /// cancelled request, a writer waiting).</param>
    /// <param name="text">The index's text fields, for <see cref="TextMatch"/>; none when null.</param>
    public SlotSet Evaluate(PayloadFilter filter, SlotSet live, Func<string, int> slotOfId, Action? check = null, Text.TextIndex? text = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(slotOfId);
        var evaluation = new Evaluation(this, live, slotOfId, check, _partial.Count == 0 ? null : Partial(live.Capacity), text);
        var result = evaluation.Match(filter);
        result.IntersectWith(live);
        return result;
    }

    private SlotSet Partial(int capacity)
    {
        var partial = new SlotSet(capacity);
        foreach (int slot in _partial)
        {
            if (slot < capacity)
            {
                partial.Add(slot);
            }
        }
        return partial;
    }

    /// <summary>One evaluation: the live slots, the partly indexed ones (null when there are none), the check and
    /// the text fields.</summary>
    private readonly record struct Evaluation(PayloadIndex Index, SlotSet Live, Func<string, int> SlotOfId, Action? Check, SlotSet? Partial, Text.TextIndex? Text)
    {
        /// <summary>The slots matching <paramref name="filter"/>; not yet limited to <see cref="Live"/>.</summary>
        public SlotSet Match(PayloadFilter filter)
        {
            Check?.Invoke();
            switch (filter)
            {
                case AllOf all:
                    var every = Live.Clone();
                    foreach (var child in all.Filters)
                    {
                        every.IntersectWith(Match(child));
                    }
                    return every;
                case AnyOf any:
                    var some = new SlotSet(Live.Capacity);
                    foreach (var child in any.Filters)
                    {
                        some.UnionWith(Match(child));
                    }
                    return some;
                case NotOf not:
                    return Unseen(Match(not.Filter));
                case IdIn ids:
                    return PayloadIndex.Ids(ids.Ids, Live, SlotOfId);
                case TextMatch words:
                    var holding = new SlotSet(Live.Capacity);
                    Text?.Match(words.Path, words.Text, holding);
                    return holding;
                case IsEmpty empty:
                    var filled = new SlotSet(Live.Capacity);
                    if (Index._paths.TryGetValue(empty.Path, out var postings))
                    {
                        postings.AddNonEmpty(filled);
                    }
                    return Unseen(filled);
                default:
                    var matched = new SlotSet(Live.Capacity);
                    if (Index._paths.TryGetValue(PathOf(filter), out var path))
                    {
                        MatchPath(filter, path, matched);
                    }
                    return matched;
            }
        }

        /// <summary>The live slots not in <paramref name="seen"/>, less those indexed only in part: what their
        /// metadata holds beyond the part indexed might be in it.</summary>
        private SlotSet Unseen(SlotSet seen)
        {
            var others = Live.Clone();
            others.ExceptWith(seen);
            if (Partial is not null)
            {
                others.ExceptWith(Partial);
            }
            return others;
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
        InstantRange f => f.Path,
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
            case InstantRange f:
                long low = Math.Max(f.Gt?.UtcTicks ?? long.MinValue, f.Gte?.UtcTicks ?? long.MinValue);
                long high = Math.Min(f.Lt?.UtcTicks ?? long.MaxValue, f.Lte?.UtcTicks ?? long.MaxValue);
                path.AddInstantsBetween(low, f.Gt is { } after && after.UtcTicks >= (f.Gte?.UtcTicks ?? long.MinValue),
                    high, f.Lt is { } before && before.UtcTicks <= (f.Lte?.UtcTicks ?? long.MaxValue), into);
                break;
            default:
                path.AddNulls(into);
                break;
        }
    }
}
