namespace Vectord.Hnsw;

// A copy that follows another (a replica of a part): the writer's copy applies an add batch as usual and notes every
// link list it wrote (LinkChanges); the follower applies the same batch without searching the graph — items, vectors,
// levels, tombstones and quarantine exactly as the writer did, which needs no graph — and then writes those lists.
// Both start from the same state, so both end with the same graph: a follower's batch costs a copy, not a search.
public sealed partial class HnswIndex
{
    /// <summary>While an apply notes its link writes: every (node, layer) whose list it wrote.</summary>
    private HashSet<(int Node, int Level)>? _touched;

    /// <summary>While a follower applies a batch whose links it is given: the graph is not searched nor linked.</summary>
    private bool _linksGiven;

    /// <summary>
    /// <see cref="AddLogged(IReadOnlyList{VectorItem})"/>, noting the link lists the batch wrote, for a copy that follows
    /// this one (<see cref="AddLinked"/>).
    /// </summary>
    /// <param name="items">The batch, as logged.</param>
    /// <param name="changes">The link lists the batch wrote, as they stand after it.</param>
    /// <returns>The number of items applied, the quarantined ones included.</returns>
    public int AddLogged(IReadOnlyList<VectorItem> items, out LinkChanges changes)
    {
        foreach (HnswIndex graph in (HnswIndex[])[this, .. _companions])
        {
            graph._touched = [];
        }
        try
        {
            int applied = AddLogged(items);
            changes = _companions.Length == 0 ? Noted() : LinkChanges.WithCompanions(Noted(), [.. _companions.Select(c => c.Noted())]);
            return applied;
        }
        finally
        {
            foreach (HnswIndex graph in (HnswIndex[])[this, .. _companions])
            {
                graph._touched = null;
            }
        }
    }

    /// <summary>The link lists this graph noted, as they stand.</summary>
    private LinkChanges Noted()
    {
        using var reading = _gate.Read();
        return LinkChanges.Capture(_slotCount, _entryPoint, _maxLevel, _touched!, (node, level) => LinkBlock(node, level));
    }

    /// <summary>
    /// Applies an add batch that a copy holding what this index holds applied with
    /// <see cref="AddLogged(IReadOnlyList{VectorItem}, out LinkChanges)"/>, with the link lists it wrote: the items as
    /// that copy applied them, without searching the graph, then its lists, entry point and top layer. The index then
    /// holds what that copy holds. Readers may run beside it, as beside any write.
    /// </summary>
    /// <returns>The number of items applied, the quarantined ones included.</returns>
    /// <exception cref="InvalidDataException">The changes do not fit this index (it did not hold what the writer held):
    /// it may be left part-applied, and must be loaded anew.</exception>
    public int AddLinked(IReadOnlyList<VectorItem> items, LinkChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Companions.Length != _companions.Length)
        {
            throw new InvalidDataException($"link changes for {1 + changes.Companions.Length} graphs do not fit an index of {1 + _companions.Length}");
        }
        HnswIndex[] graphs = [this, .. _companions];
        int applied;
        foreach (HnswIndex graph in graphs)
        {
            graph._linksGiven = true;
        }
        try
        {
            applied = AddLogged(items);
        }
        finally
        {
            foreach (HnswIndex graph in graphs)
            {
                graph._linksGiven = false;
            }
        }
        SetLinks(changes);
        for (int c = 0; c < _companions.Length; c++)
        {
            _companions[c].SetLinks(changes.Companions[c]);
        }
        return applied;
    }

    /// <summary>Writes the lists, entry point and top layer of <paramref name="changes"/> into this graph.</summary>
    private void SetLinks(LinkChanges changes)
    {
        if (_slotCount != changes.SlotCount || changes.EntryPoint >= _slotCount || changes.MaxLevel > MaxLevelCap)
        {
            throw new InvalidDataException($"link changes for {changes.SlotCount} slots do not fit an index of {_slotCount}");
        }
        using var writing = Exclusive();
        foreach (var (node, level, links) in changes.Each())
        {
            if ((uint)node >= (uint)_slotCount || level < 0 || level > _levels[node] || links.Length > MaxLinks(level))
            {
                throw new InvalidDataException($"link changes: node {node} has no list {level} of {links.Length} links");
            }
            Span<int> block = LinkBlock(node, level);
            links.CopyTo(block[1..]);
            block[0] = links.Length;
        }
        _entryPoint = changes.EntryPoint;
        _maxLevel = changes.MaxLevel;
    }

    /// <summary>The graph as searches read it: the entry point, the top layer, then per slot its layer and each of its
    /// lists (length, then nodes). Two indexes with the same outline answer every search alike (the slots of a list past
    /// its length, which searches never read, may differ).</summary>
    internal List<int> GraphOutline()
    {
        var outline = OwnOutline();
        foreach (HnswIndex companion in _companions)
        {
            outline.AddRange(companion.OwnOutline());
        }
        return outline;
    }

    private List<int> OwnOutline()
    {
        using var reading = _gate.Read();
        var outline = new List<int> { _entryPoint, _maxLevel };
        for (int slot = 0; slot < _slotCount; slot++)
        {
            outline.Add(_levels[slot]);
            for (int level = 0; level <= _levels[slot]; level++)
            {
                ReadOnlySpan<int> block = LinkBlock(slot, level);
                outline.AddRange(block[..(block[0] + 1)]);
            }
        }
        return outline;
    }

    /// <summary>Notes that the list of <paramref name="node"/> on <paramref name="level"/> was written, while an
    /// apply notes them.</summary>
    private void Touched(int node, int level) => _touched?.Add((node, level));
}
