using System.Numerics;
using System.Numerics.Tensors;

namespace Vectord.Hnsw.Filtering;

/// <summary>
/// A posting list: the slots holding one value. Sparse, it is an unsorted growable array that shrinks as slots
/// leave; once the array would take more bytes than a bitmap up to its largest slot, it becomes that bitmap, and
/// goes back to an array when it holds under a quarter of what the array would have taken. A mutable struct: keep
/// it in a field or reach it by reference, never by copy, when changing it.
/// </summary>
internal struct SlotList
{
    private const int FirstCapacity = 2;

    private int[]? _slots;
    private ulong[]? _bits;
    private int _count;

    public readonly int Count => _count;

    /// <summary>Bytes held by the array or the bitmap.</summary>
    public readonly long MemoryBytes =>
        _bits is not null ? 24 + 8L * _bits.Length : _slots is null ? 0 : 24 + ((4L * _slots.Length + 7) & ~7L);

    /// <summary>Adds <paramref name="slot"/>. Listed already, it stays listed once when it is in the bitmap or the
    /// last slot added to the array: one item's entries are added together, so naming a value twice is harmless.</summary>
    public void Add(int slot)
    {
        if (_bits is not null)
        {
            AddBit(slot);
            return;
        }
        if (_count > 0 && _slots![_count - 1] == slot)
        {
            return;
        }
        if (_slots is null || _count == _slots.Length)
        {
            int largest = Math.Max(slot, _count == 0 ? 0 : TensorPrimitives.Max<int>(_slots.AsSpan(0, _count)));
            if (_count > FirstCapacity && 32L * (_count + 1) > largest + 64L)
            {
                ToBits(largest);
                AddBit(slot);
                return;
            }
            Array.Resize(ref _slots, _slots is null ? FirstCapacity : _slots.Length * 2);
        }
        _slots[_count++] = slot;
    }

    /// <summary>Removes <paramref name="slot"/> if listed; in the array, the last slot moves into its place.</summary>
    public void Remove(int slot)
    {
        if (_bits is not null)
        {
            RemoveBit(slot);
            return;
        }
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
        if (_bits is not null)
        {
            into.UnionWith(_bits);
            return;
        }
        int capacity = into.Capacity;
        foreach (int slot in _slots.AsSpan(0, _count))
        {
            if (slot < capacity)
            {
                into.Add(slot);
            }
        }
    }

    private void AddBit(int slot)
    {
        int word = slot >> 6;
        if (word >= _bits!.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length + (_bits.Length >> 1)));
        }
        ulong bit = 1UL << slot;
        if ((_bits[word] & bit) == 0)
        {
            _bits[word] |= bit;
            _count++;
        }
    }

    private void RemoveBit(int slot)
    {
        int word = slot >> 6;
        ulong bit = 1UL << slot;
        if (word >= _bits!.Length || (_bits[word] & bit) == 0)
        {
            return;
        }
        _bits[word] &= ~bit;
        if (--_count == 0)
        {
            _bits = null;
        }
        else if (_count < _bits.Length / 2) // an array of the slots would take under a quarter of the bitmap's bytes
        {
            ToSlots();
        }
    }

    private void ToBits(int largest)
    {
        var bits = new ulong[(largest >> 6) + 1];
        foreach (int slot in _slots.AsSpan(0, _count))
        {
            bits[slot >> 6] |= 1UL << slot;
        }
        _bits = bits;
        _slots = null;
    }

    private void ToSlots()
    {
        var slots = new int[Math.Max(FirstCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)_count))];
        int count = 0;
        for (int word = 0; word < _bits!.Length; word++)
        {
            for (ulong bits = _bits[word]; bits != 0; bits &= bits - 1)
            {
                slots[count++] = (word << 6) + BitOperations.TrailingZeroCount(bits);
            }
        }
        _slots = slots;
        _bits = null;
    }
}
