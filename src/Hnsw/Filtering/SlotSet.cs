using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Filtering;

/// <summary>
/// A set of slots in [0, <see cref="Capacity"/>), one bit a slot. Not thread-safe for writes; any number of threads
/// may read a set that no thread changes.
/// </summary>
public sealed class SlotSet
{
    private readonly ulong[] _words;

    /// <summary>An empty set able to hold slots [0, <paramref name="capacity"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public SlotSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _words = new ulong[(int)(((long)capacity + 63) >> 6)];
    }

    private SlotSet(int capacity, ulong[] words)
    {
        Capacity = capacity;
        _words = words;
    }

    /// <summary>One more than the largest slot the set can hold.</summary>
    public int Capacity { get; }

    /// <summary>How many slots are in the set (counted on each call).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (ulong word in _words)
            {
                count += BitOperations.PopCount(word);
            }
            return count;
        }
    }

    /// <summary>A set of capacity <paramref name="capacity"/> holding <paramref name="slots"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A slot is outside [0, <paramref name="capacity"/>).</exception>
    public static SlotSet Of(int capacity, params ReadOnlySpan<int> slots)
    {
        var set = new SlotSet(capacity);
        foreach (int slot in slots)
        {
            set.Add(slot);
        }
        return set;
    }

    /// <summary>A set of capacity <paramref name="capacity"/> holding every slot in it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public static SlotSet All(int capacity)
    {
        var set = new SlotSet(capacity);
        Array.Fill(set._words, ulong.MaxValue);
        if ((capacity & 63) != 0)
        {
            set._words[^1] = (1UL << (capacity & 63)) - 1;
        }
        return set;
    }

    /// <summary>A copy of this set, which the copy's changes do not affect.</summary>
    public SlotSet Clone() => new(Capacity, (ulong[])_words.Clone());

    /// <summary>A copy able to hold slots [0, <paramref name="capacity"/>), with the same slots.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is smaller than this set's.</exception>
    public SlotSet Grown(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Capacity);
        var grown = new SlotSet(capacity);
        _words.CopyTo(grown._words, 0);
        return grown;
    }

    /// <summary>Bytes the set holds.</summary>
    public long MemoryBytes => 24L + (8L * _words.Length);

    /// <summary>Adds <paramref name="slot"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is outside [0, <see cref="Capacity"/>).</exception>
    public void Add(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Capacity, nameof(slot));
        _words[slot >> 6] |= 1UL << slot;
    }

    /// <summary>Removes <paramref name="slot"/>; slots outside the set's range are never in it.</summary>
    public void Remove(int slot)
    {
        if ((uint)slot < (uint)Capacity)
        {
            _words[slot >> 6] &= ~(1UL << slot);
        }
    }

    /// <summary>Whether <paramref name="slot"/>, which must be in [0, <see cref="Capacity"/>) rounded up to a
    /// multiple of 64, is in the set. Meant for hot loops: it checks nothing more than the array bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int slot) => (_words[slot >> 6] & (1UL << slot)) != 0;

    /// <summary>Keeps only the slots also in <paramref name="other"/>.</summary>
    public void IntersectWith(SlotSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int shared = Math.Min(_words.Length, other._words.Length);
        Combine<And>(_words.AsSpan(0, shared), other._words.AsSpan(0, shared));
        _words.AsSpan(shared).Clear();
    }

    /// <summary>Adds the slots of <paramref name="other"/> that fit in this set's capacity.</summary>
    public void UnionWith(SlotSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        UnionWith(other._words);
    }

    /// <summary>Adds the slots of a bitmap (bit <c>s % 64</c> of word <c>s / 64</c> for slot <c>s</c>) that fit in
    /// this set's capacity.</summary>
    internal void UnionWith(ReadOnlySpan<ulong> words)
    {
        int shared = Math.Min(_words.Length, words.Length);
        Combine<Or>(_words.AsSpan(0, shared), words[..shared]);
        if (shared == _words.Length && (Capacity & 63) != 0 && shared > 0)
        {
            _words[^1] &= (1UL << (Capacity & 63)) - 1;
        }
    }

    /// <summary>Removes the slots in <paramref name="other"/>.</summary>
    public void ExceptWith(SlotSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int shared = Math.Min(_words.Length, other._words.Length);
        Combine<AndNot>(_words.AsSpan(0, shared), other._words.AsSpan(0, shared));
    }

    /// <summary>The slots in ascending order.</summary>
    public Enumerator GetEnumerator() => new(_words);

    /// <summary>Walks the set bits of a <see cref="SlotSet"/> in ascending order.</summary>
    public struct Enumerator
    {
        private readonly ulong[] _words;
        private int _index;
        private ulong _word;

        internal Enumerator(ulong[] words)
        {
            _words = words;
            _index = -1;
            _word = 0;
            Current = -1;
        }

        /// <summary>The current slot.</summary>
        public int Current { get; private set; }

        /// <summary>Moves to the next slot in the set; false when there is none.</summary>
        public bool MoveNext()
        {
            while (_word == 0)
            {
                if (++_index >= _words.Length)
                {
                    return false;
                }
                _word = _words[_index];
            }
            Current = (_index << 6) + BitOperations.TrailingZeroCount(_word);
            _word &= _word - 1;
            return true;
        }
    }

    private static void Combine<TOp>(Span<ulong> target, ReadOnlySpan<ulong> other)
        where TOp : IWordOp
    {
        ref ulong t = ref MemoryMarshal.GetReference(target);
        ref ulong o = ref MemoryMarshal.GetReference(other);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= target.Length - Vector<ulong>.Count; i += Vector<ulong>.Count)
            {
                var result = TOp.Apply(Vector.LoadUnsafe(ref t, (nuint)i), Vector.LoadUnsafe(ref o, (nuint)i));
                result.StoreUnsafe(ref t, (nuint)i);
            }
        }
        for (; i < target.Length; i++)
        {
            Unsafe.Add(ref t, i) = TOp.Apply(Unsafe.Add(ref t, i), Unsafe.Add(ref o, i));
        }
    }

    private interface IWordOp
    {
        static abstract ulong Apply(ulong x, ulong y);

        static abstract Vector<ulong> Apply(Vector<ulong> x, Vector<ulong> y);
    }

    private readonly struct And : IWordOp
    {
        public static ulong Apply(ulong x, ulong y) => x & y;

        public static Vector<ulong> Apply(Vector<ulong> x, Vector<ulong> y) => x & y;
    }

    private readonly struct Or : IWordOp
    {
        public static ulong Apply(ulong x, ulong y) => x | y;

        public static Vector<ulong> Apply(Vector<ulong> x, Vector<ulong> y) => x | y;
    }

    private readonly struct AndNot : IWordOp
    {
        public static ulong Apply(ulong x, ulong y) => x & ~y;

        public static Vector<ulong> Apply(Vector<ulong> x, Vector<ulong> y) => Vector.AndNot(x, y);
    }
}
