using System.Diagnostics.CodeAnalysis;

namespace Vectord.Hnsw;

/// <summary>Items by id: looking one up, listing the ids, deleting one (and forgetting the graph once none is left).</summary>
public sealed partial class HnswIndex
{
    /// <summary>Deletes an item (from the graph of each named vector too); returns false when the id is not present.</summary>
    public bool Delete(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!DeleteOwn(id))
        {
            return false;
        }
        foreach (HnswIndex companion in _companions)
        {
            companion.DeleteOwn(id);
        }
        return true;
    }

    private bool DeleteOwn(string id)
    {
        using var writing = Exclusive();
        _vectors.CheckLength();
        if (!_slots.Remove(id, out int slot))
        {
            return false;
        }
        if (ReleaseQuarantined(slot))
        {
            ResetGraphWhenEmpty();
            return true;
        }
        _idChars -= id.Length;
        SetMetadata(slot, null);
        _ids[slot] = null;
        _deleted[slot] = true;
        _live.Remove(slot);
        _liveCount--;
        _free.Enqueue(slot, slot);
        ResetGraphWhenEmpty();
        return true;
    }

    /// <summary>Forgets every tombstone once no item is left, live or quarantined.</summary>
    private void ResetGraphWhenEmpty()
    {
        if (_liveCount == 0 && _quarantined.Count == 0)
        {
            ResetGraph();
        }
    }

    /// <summary>Forgets every tombstone once no live item is left (the arrays are kept for reuse).</summary>
    private void ResetGraph()
    {
        Array.Clear(_upper, 0, _slotCount);
        Array.Clear(_deleted, 0, _slotCount);
        Array.Clear(_levels, 0, _slotCount);
        Array.Clear(_links0, 0, _slotCount * _stride0);
        _upperInts = 0;
        _slotCount = 0;
        _free.Clear();
        _entryPoint = -1;
        _maxLevel = -1;
        ForgetQuantizer();
    }

    /// <summary>True when the id is present (quarantined items included: they can be deleted).</summary>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var reading = _gate.Read();
        return _slots.ContainsKey(id);
    }

    /// <summary>Looks an item up by id (a quarantined one is not found). The vector is as stored (unit-normalised under
    /// cosine); with named vectors, the concatenation of one of each.</summary>
    public bool TryGet(string id, [NotNullWhen(true)] out VectorItem? item)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var reading = _gate.Read();
        if (!_slots.TryGetValue(id, out int slot) || _deleted[slot])
        {
            item = null;
            return false;
        }
        _vectors.CheckLength();
        CheckVectorSum(slot);
        float[]? vector = _companions.Length == 0 ? VectorOf(slot).ToArray() : AllVectors(id, VectorOf(slot));
        item = vector is null ? null : new VectorItem(id, vector, _metadata[slot]);
        return item is not null;
    }

    /// <summary>The ids of live items, in internal order (stable between writes).</summary>
    public IReadOnlyList<string> GetIds()
    {
        using var reading = _gate.Read();
        var ids = new string[_liveCount];
        int n = 0;
        for (int i = 0; i < _slotCount; i++)
        {
            if (_ids[i] is { } id && !_deleted[i])
            {
                ids[n++] = id;
            }
        }
        return ids;
    }
}
