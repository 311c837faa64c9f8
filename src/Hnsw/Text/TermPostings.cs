namespace Vectord.Hnsw.Text;

/// <summary>
/// The slots holding one term in one field and how often each holds it, ordered by slot: one array of pairs
/// (slot, frequency), grown by half again when full, so a term in one item takes one 8-byte pair and its array.
/// </summary>
internal sealed class TermPostings
{
    private int[] _pairs = new int[2];

    /// <summary>Slots holding the term.</summary>
    public int Count { get; private set; }

    /// <summary>The slot of the <paramref name="i"/>-th posting.</summary>
    public int SlotAt(int i) => _pairs[2 * i];

    /// <summary>How often the <paramref name="i"/>-th posting's slot holds the term.</summary>
    public int FrequencyAt(int i) => _pairs[(2 * i) + 1];

    /// <summary>The pairs in use, slot then frequency.</summary>
    public ReadOnlySpan<int> Pairs => _pairs.AsSpan(0, 2 * Count);

    /// <summary>Managed bytes held: the object and its array by capacity.</summary>
    public long MemoryBytes => 24 + 24 + (4L * _pairs.Length);

    /// <summary>Records that <paramref name="slot"/>, which holds no posting here, holds the term
    /// <paramref name="frequency"/> times.</summary>
    public void Add(int slot, int frequency)
    {
        int at = Count == 0 || _pairs[2 * (Count - 1)] < slot ? Count : ~Find(slot);
        if (2 * (Count + 1) > _pairs.Length)
        {
            Array.Resize(ref _pairs, Math.Max(4, _pairs.Length + (_pairs.Length / 2 & ~1)));
        }
        Array.Copy(_pairs, 2 * at, _pairs, 2 * (at + 1), 2 * (Count - at));
        _pairs[2 * at] = slot;
        _pairs[(2 * at) + 1] = frequency;
        Count++;
    }

    /// <summary>Removes the posting of <paramref name="slot"/>, if any.</summary>
    public void Remove(int slot)
    {
        int at = Find(slot);
        if (at < 0) { return; }
        Count--;
        Array.Copy(_pairs, 2 * (at + 1), _pairs, 2 * at, 2 * (Count - at));
        if (Count > 0 && 4 * Count < _pairs.Length / 2)
        {
            Array.Resize(ref _pairs, Math.Max(2, _pairs.Length / 2));
        }
    }

    /// <summary>The index of <paramref name="slot"/>'s posting, or its bitwise complement where it would go.</summary>
    public int Find(int slot)
    {
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            int at = _pairs[2 * mid];
            if (at == slot) { return mid; }
            if (at < slot) { low = mid + 1; } else { high = mid - 1; }
        }
        return ~low;
    }
}
