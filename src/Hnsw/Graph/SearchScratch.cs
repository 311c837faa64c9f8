using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Graph;

/// <summary>A node and its ordering distance to the query.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Candidate(float distance, int node)
{
    public float Distance = distance;
    public int Node = node;
}

/// <summary>
/// A set of visited nodes cleared in O(1) by bumping an epoch counter. One byte a node, so that at 60,000 nodes
/// the marks (60 KB) stay in a core's L2 cache between searches even when consecutive searches run on different
/// threads; every 255 traversals the counter wraps and the marks are cleared once.
/// </summary>
internal sealed class VisitedSet
{
    private byte[] _marks = [];
    private byte _epoch;

    /// <summary>Starts a new traversal over nodes [0, <paramref name="size"/>).</summary>
    public void Reset(int size)
    {
        if (_marks.Length < size)
        {
            _marks = new byte[Math.Max(size, _marks.Length * 2)];
            _epoch = 0;
        }
        if (++_epoch == 0)
        {
            Array.Clear(_marks);
            _epoch = 1;
        }
    }

    /// <summary>The mark array and the current epoch, for loops that inline the test.</summary>
    public byte[] Marks => _marks;

    /// <summary>The value marking a node as visited in the current traversal.</summary>
    public byte Epoch => _epoch;

    /// <summary>Marks <paramref name="node"/>; false when it was already marked in this traversal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryVisit(int node)
    {
        ref byte mark = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_marks), (nint)(uint)node);
        if (mark == _epoch)
        {
            return false;
        }
        mark = _epoch;
        return true;
    }
}

/// <summary>Which of two distances a <see cref="CandidateHeap{TOrder}"/> keeps nearer its root. Implemented by
/// structs, so each heap is compiled with its comparisons inlined.</summary>
internal interface IHeapOrder
{
    /// <summary>Whether <paramref name="a"/> goes strictly before <paramref name="b"/>.</summary>
    static abstract bool Before(float a, float b);

    /// <summary>Whether <paramref name="a"/> goes before <paramref name="b"/> or ties with it.</summary>
    static abstract bool BeforeOrTied(float a, float b);
}

/// <summary>The smallest distance first: the nearest candidate to expand next.</summary>
internal readonly struct NearestFirst : IHeapOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(float a, float b) => a < b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BeforeOrTied(float a, float b) => a <= b;
}

/// <summary>The largest distance first: the current worst result, the first to drop.</summary>
internal readonly struct FarthestFirst : IHeapOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(float a, float b) => a > b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BeforeOrTied(float a, float b) => a >= b;
}

/// <summary>A binary heap of candidates whose root is the first in <typeparamref name="TOrder"/>.</summary>
internal struct CandidateHeap<TOrder>
    where TOrder : struct, IHeapOrder
{
    private Candidate[] _items;
    private int _count;

    public CandidateHeap(int capacity) => _items = new Candidate[Math.Max(capacity, 16)];

    public readonly int Count => _count;

    public readonly Candidate Top => _items[0];

    /// <summary>The entries in heap order (not sorted).</summary>
    public readonly Span<Candidate> Items => _items.AsSpan(0, _count);

    public void Clear() => _count = 0;

    public void Push(float distance, int node)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        ref Candidate root = ref MemoryMarshal.GetArrayDataReference(_items);
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            Candidate p = Unsafe.Add(ref root, parent);
            if (TOrder.BeforeOrTied(p.Distance, distance))
            {
                break;
            }
            Unsafe.Add(ref root, i) = p;
            i = parent;
        }
        Unsafe.Add(ref root, i) = new Candidate(distance, node);
    }

    public Candidate Pop()
    {
        ref Candidate root = ref MemoryMarshal.GetArrayDataReference(_items);
        Candidate top = root;
        Candidate last = Unsafe.Add(ref root, --_count);
        int n = _count;
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && TOrder.Before(Unsafe.Add(ref root, child + 1).Distance, Unsafe.Add(ref root, child).Distance))
            {
                child++;
            }
            if (TOrder.BeforeOrTied(last.Distance, Unsafe.Add(ref root, child).Distance))
            {
                break;
            }
            Unsafe.Add(ref root, i) = Unsafe.Add(ref root, child);
            i = child;
        }
        if (n > 0)
        {
            Unsafe.Add(ref root, i) = last;
        }
        return top;
    }
}

/// <summary>Per-thread working memory of searches and inserts, so the hot path allocates nothing and
/// concurrent searches share no mutable state.</summary>
internal sealed class SearchScratch
{
    [ThreadStatic]
    private static SearchScratch? t_current;

    public readonly VisitedSet Visited = new();
    public CandidateHeap<NearestFirst> Candidates = new(256);
    public CandidateHeap<FarthestFirst> Results = new(256);
    public Candidate[] Sorted = new Candidate[256];
    public Candidate[] Chosen = new Candidate[64];
    public Candidate[] PruneCandidates = new Candidate[64];
    public Candidate[] PruneSelected = new Candidate[64];
    public int[] Links = new int[64];
    public int[] OldLinks = new int[64];
    public short[] Weights = [];

    public static SearchScratch Current => t_current ??= new SearchScratch();

    /// <summary>The first <paramref name="size"/> entries of <paramref name="buffer"/>, growing it when needed.</summary>
    public static Span<T> Take<T>(ref T[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new T[Math.Max(size, buffer.Length * 2)];
        }
        return buffer.AsSpan(0, size);
    }
}
