namespace Vectord.Hnsw;

/// <summary>
/// Quarantine: an item stored before the vector rule (<see cref="HnswOptions.CheckVector"/>) refused what it holds
/// (a non-finite component, a norm beyond the bound) is read back without failing the rest. Its slot keeps its id,
/// metadata and vector as stored, so a save writes it back unchanged and the next load finds it again, but it is
/// taken out of the graph (no links to or from it) and out of every read: searches, filters, listings, gets and
/// <see cref="Count"/> never see it. <see cref="Contains"/> does, so it can be deleted by id, and an add under its id
/// replaces it. A bad tombstone (one that would only route searches) is taken out of the graph the same way.
/// </summary>
public sealed partial class HnswIndex
{
    /// <summary>The slots of quarantined items (marked deleted, not free, not linked).</summary>
    private readonly HashSet<int> _quarantined = [];

    /// <summary>Items held in quarantine (see the remarks on this part of the class); not counted in <see cref="Count"/>.</summary>
    public int QuarantinedCount => _quarantined.Count;

    /// <summary>The ids of the quarantined items, in ordinal order.</summary>
    public IReadOnlyList<string> QuarantinedIds()
    {
        using var reading = _gate.Read();
        return _quarantined.Select(slot => _ids[slot]!).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Applies an add batch read back from a log, which an earlier rule may have accepted: as
    /// <see cref="AddBatch"/> on one thread, except that an item whose vector has the index's dimension but values the
    /// rule now refuses replaces any item of its id and is quarantined instead of failing the batch. Anything else
    /// wrong (a wrong dimension, which no rule ever let in) still refuses the whole batch.
    /// </summary>
    /// <returns>The number of items applied, the quarantined ones included.</returns>
    public int AddLogged(IReadOnlyList<VectorItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (_options.Vectors is not null)
        {
            return AddBatch(items, maxDegreeOfParallelism: 1);   // named vectors came with the present rule: none to quarantine
        }
        var last = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        for (int j = 0; j < items.Count; j++)
        {
            last[items[j].Id] = j;
        }
        var accepted = new List<VectorItem>(items.Count);
        var refused = new List<VectorItem>();
        for (int j = 0; j < items.Count; j++)
        {
            if (last[items[j].Id] == j)
            {
                VectorItem item = items[j];
                bool quarantine = item.Vector?.Length == _dim && ValidateVector(item.Vector) is not null;
                (quarantine ? refused : accepted).Add(item);
            }
        }
        int applied = AddBatch(accepted, maxDegreeOfParallelism: 1);
        foreach (VectorItem item in refused)
        {
            Delete(item.Id);
            HoldRefused(item);
        }
        return applied + refused.Count;
    }

    /// <summary>Stores a refused item in a new slot of its own, quarantined, its vector as it came, so that a load
    /// refuses it again.</summary>
    private void HoldRefused(VectorItem item)
    {
        EnsureCapacity(_slotCount + 1);
        using var writing = Exclusive();
        int slot = _slotCount;
        item.Vector.CopyTo(VectorOf(slot));
        SetVectorSum(slot);
        _ids[slot] = item.Id;
        _slots[item.Id] = slot;
        _idChars += item.Id.Length;
        _metadata[slot] = item.Metadata;
        _deleted[slot] = true;
        _levels[slot] = 0;
        _links0[slot * _stride0] = 0;
        _quarantined.Add(slot);
        _slotCount++;
    }

    /// <summary>Releases a quarantined slot whose id was just removed from <see cref="_slots"/>: it becomes a free
    /// tombstone (unlinked; a reuse links it again).</summary>
    private bool ReleaseQuarantined(int slot)
    {
        if (!_quarantined.Remove(slot))
        {
            return false;
        }
        _idChars -= _ids[slot]!.Length;
        _ids[slot] = null;
        _metadata[slot] = null;
        _free.Enqueue(slot, slot);
        return true;
    }

    /// <summary>After a load: quarantines every live slot whose vector the rule refuses and takes every refused slot
    /// (live or tombstone) out of the graph, moving the entry point when it was one of them.</summary>
    /// <returns>Live slots quarantined.</returns>
    private int QuarantineRefused()
    {
        var refused = new List<int>();
        for (int i = 0; i < _slotCount; i++)
        {
            if (_own.CheckVector(VectorOf(i)) is not null)
            {
                refused.Add(i);
            }
        }
        if (refused.Count == 0)
        {
            return 0;
        }
        var cut = new HashSet<int>(refused);
        int held = 0;
        foreach (int slot in refused)
        {
            if (_ids[slot] is not null)
            {
                byte[]? metadata = _metadata[slot];
                SetMetadata(slot, null);            // out of the filters' postings, kept for saving
                _metadata[slot] = metadata;
                _live.Remove(slot);
                _deleted[slot] = true;
                _quarantined.Add(slot);
                held++;
            }
            for (int level = 1; level <= _levels[slot]; level++)
            {
                _upperInts -= _m + 1;
            }
            _upper[slot] = null;
            _levels[slot] = 0;
            _links0[slot * _stride0] = 0;
        }
        int entry = -1;
        for (int i = 0; i < _slotCount; i++)
        {
            if (cut.Contains(i))
            {
                continue;
            }
            for (int level = 0; level <= _levels[i]; level++)
            {
                Span<int> block = LinkBlock(i, level);
                int kept = 0;
                for (int k = 1; k <= block[0]; k++)
                {
                    if (!cut.Contains(block[k]))
                    {
                        block[++kept] = block[k];
                    }
                }
                block[0] = kept;
            }
            if (entry < 0 || _levels[i] > _levels[entry])
            {
                entry = i;
            }
        }
        if (cut.Contains(_entryPoint))
        {
            _entryPoint = entry;
            _maxLevel = entry < 0 ? -1 : _levels[entry];
        }
        return held;
    }
}
