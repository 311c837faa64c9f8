namespace Vectord.Hnsw.Filtering;

/// <summary>
/// A posting list: the slots holding one value, unsorted, in a growable array that shrinks as slots leave. A
/// mutable struct: keep it in a field or reach it by reference, never by copy, when changing it.
/// </summary>
internal struct SlotList
{
    private const int FirstCapacity = 2;

    private int[]? _slots;
    private int _count;

    public readonly int Count => _count;

    /// <summary>Bytes held by the array.</summary>
    public readonly long MemoryBytes => _slots is null ? 0 : ArrayBytes(_slots.Length);

    /// <summary>Adds <paramref name="slot"/> unless it is the last slot added: one item's entries are added
    /// together, so an item naming a value twice is listed once.</summary>
    public void Add(int slot)
    {
        if (_count > 0 && _slots![_count - 1] == slot)
        {
            return;
        }
        if (_slots is null || _count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots is null ? FirstCapacity : _slots.Length * 2);
        }
        _slots[_count++] = slot;
    }

    /// <summary>Removes <paramref name="slot"/> if listed, moving the last slot into its place.</summary>
    public void Remove(int slot)
    {
        int at = _slots.AsSpan(0, _count).IndexOf(slot);
        if (at < 0)
        {
            return;
        }
        _slots![at] = _slots[--_count];
        if (_count == 0)
        {
            _slots = null;
        }
        else if (_count <= _slots.Length / 4 && _slots.Length > FirstCapacity)
        {
            Array.Resize(ref _slots, _slots.Length / 2);
        }
    }

    /// <summary>Adds the listed slots below <paramref name="into"/>'s capacity to it.</summary>
    public readonly void AddTo(SlotSet into)
    {
        int capacity = into.Capacity;
        foreach (int slot in _slots.AsSpan(0, _count))
        {
            if (slot < capacity)
            {
                into.Add(slot);
            }
        }
    }

    /// <summary>The bytes an <c>int[]</c> of <paramref name="length"/> takes: header, length, padding.</summary>
    public static long ArrayBytes(int length) => 24 + ((4L * length + 7) & ~7L);
}
