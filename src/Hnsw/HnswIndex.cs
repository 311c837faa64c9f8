using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw;

/// <summary>
/// An HNSW index (Malkov &amp; Yashunin). Any number of searches and other reads may run at once, also while one
/// writer adds, replaces or deletes items; writes themselves must not overlap each other (the caller serialises
/// them).
/// </summary>
/// <remarks>
/// Storage is slot based: slot <c>s</c> owns the vector at <c>_vectors[s·dim ..]</c> (on the heap or in a mapped file,
/// see <see cref="VectorFile"/>), its layer-0 links at
/// <c>_links0[s·(1 + 2M) ..]</c> (a count then 2M ids), upper-layer links in one small array per node, its string
/// id and optional metadata. A deleted slot becomes a tombstone: it keeps routing searches, is never returned,
/// and is reused (with its in-links repaired) by a later insert.
/// <para>
/// Reads beside a writer: every read (search, get, contains, listing, save) runs inside <see cref="_gate"/> as a
/// reader; the writer enters it as the writer only for the steps that change what a reader can see, item by item:
/// publishing a new item's id, vector and level; setting its links and the back-links to it (the node becomes
/// reachable only then, with everything it carries already stored); moving the entry point and top level together;
/// replacing a vector and repairing links; deleting; swapping in grown arrays. Everything else the writer does,
/// above all the search for a new item's neighbours, it does outside the gate: it is the only thread that changes
/// the index, so its own unlocked reads are consistent, and readers may read alongside it. Grown arrays are
/// allocated and filled outside the gate too (nothing changes them meanwhile) and published inside it, so no reader
/// ever holds an array that is being resized, and searches are held up for one item's linking at most, never for
/// a copy. The gate's monitor is a full fence on entry and exit: a reader entering after a write left sees all of
/// it, so a search sees every add acknowledged before it began. A parallel build (<see cref="AddBatch"/> with more
/// than one thread) holds the gate as the writer for its whole parallel phase.
/// </para>
/// </remarks>
public sealed partial class HnswIndex
{
    /// <summary>Highest layer a node can be drawn on.</summary>
    internal const int MaxLevelCap = 30;
    private const int LockStripes = 1 << 12;

    private HnswOptions _options;
    /// <summary>The options of this index's own graph: <see cref="_options"/>, or with named vectors those of the first.</summary>
    private readonly HnswOptions _own;
    private readonly int _dim;
    private readonly DistanceKind _kind;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _stride0;
    private readonly int _codeStride;
    private readonly int _efConstruction;
    private readonly double _levelMultiplier;
    /// <summary>Lock stripes over the nodes' links, for a parallel build only: made by the first one, so an index
    /// never built in parallel (a small one above all) does without their 4,096 objects (about 130 KiB).</summary>
    private object[]? _locks;
    private readonly object _entryLock = new();
    private readonly Graph.ReadWriteGate _gate = new();
    /// <summary>True for the graph of a named vector other than the first (HnswIndex.Spaces.cs): it keeps the items'
    /// metadata for its hits but no payload or text index.</summary>
    private readonly bool _companion;

    private int _capacity;
    private int _slotCount;
    private int _liveCount;
    private Storage.VectorBuffer _vectors;
    /// <summary>A checksum of each slot's vector when they are in a file (see <see cref="VectorFile"/>); else empty.</summary>
    private uint[] _vectorSums = [];
    private int[] _links0 = [];
    private int[]?[] _upper = [];
    private byte[] _levels = [];
    private bool[] _deleted = [];
    private string?[] _ids = [];
    private byte[]?[] _metadata = [];
    /// <summary>The live slots (published, not deleted), for filters that need the complement of a set.</summary>
    private SlotSet _live = new(0);
    /// <summary>Each live item's metadata values by path, for filtered searches; changed only with the metadata.</summary>
    private readonly PayloadIndex _payload = new();
    private readonly List<PayloadEntry> _entries = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    /// <summary>Tombstoned slots, lowest first: reuse order depends only on the index's state, so a loaded index
    /// and the one that was saved stay identical under the same later writes.</summary>
    private readonly PriorityQueue<int, int> _free = new();
    private int _entryPoint = -1;
    private int _maxLevel = -1;
    private bool _concurrent;

    private long _upperInts;
    private long _idChars;
    private long _metadataBytes;
    private int _metadataCount;

    /// <summary>Creates an empty index; its vectors on the managed heap, or with <paramref name="vectorFile"/> in that
    /// file (see <see cref="VectorFile"/>).</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public HnswIndex(HnswOptions options, string? vectorFile = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Dimension < 0)
        {
            throw new ArgumentException($"dimension must not be negative (got {options.Dimension})", nameof(options));
        }
        if (options.Dimension == 0 && (options.Quantization != QuantizationKind.None || vectorFile is not null))
        {
            throw new ArgumentException("an index without vectors has nothing to quantize or keep in a file", nameof(options));
        }
        if (!Enum.IsDefined(options.Distance))
        {
            throw new ArgumentException($"unknown distance {options.Distance}", nameof(options));
        }
        int m = options.M == 0 ? HnswOptions.DefaultM : options.M;
        int efc = options.EfConstruction == 0 ? HnswOptions.DefaultEfConstruction : options.EfConstruction;
        int efs = options.EfSearch == 0 ? HnswOptions.DefaultEfSearch : options.EfSearch;
        if (m is < 2 or > 256)
        {
            throw new ArgumentException($"M must be within 2..256 (got {m})", nameof(options));
        }
        if (efc < 1 || efs < 1)
        {
            throw new ArgumentException("ef values must be positive", nameof(options));
        }
        _options = options with { M = m, EfConstruction = efc, EfSearch = efs };
        _dim = options.Dimension;
        _kind = options.Distance;
        _m = m;
        _m0 = 2 * m;
        _stride0 = LinkStride0(_dim, m);
        _codeStride = CodeStride(_dim);
        if (!Enum.IsDefined(options.Quantization))
        {
            throw new ArgumentException($"unknown quantization {options.Quantization}", nameof(options));
        }
        _efConstruction = Math.Max(efc, m);
        _levelMultiplier = 1.0 / Math.Log(m);
        _vectors = Storage.VectorBuffer.Empty(vectorFile);
        _text = options.Text is null ? null : new Text.TextIndex(options.Text);
        _own = _options.Space(0);
        _companions = Companions(_options, vectorFile);
    }

    /// <summary>The effective options (defaults applied).</summary>
    public HnswOptions Options => _options;

    /// <summary>False for an index of dimension 0: its items carry metadata only, it has no graph, and it is searched by
    /// words (<see cref="SearchText"/>) or read by filter, never by vector.</summary>
    public bool HasVectors => _dim > 0;

    /// <summary>Number of live (not deleted) items.</summary>
    public int Count => _liveCount;

    /// <summary>Most items the index can hold: its vector, code and link arrays cannot outgrow <see cref="Array.MaxLength"/>.</summary>
    public int MaxCount => Math.Min(Math.Min(Math.Min(Array.MaxLength / Math.Max(_dim, 1), Array.MaxLength / _stride0),
        _options.Quantization == QuantizationKind.Int8 ? Array.MaxLength / _codeStride : int.MaxValue),
        _companions.Length == 0 ? int.MaxValue : _companions.Min(c => c.MaxCount));

    /// <summary>
    /// Bytes the index would allocate at once to take <paramref name="newItems"/> more items now: 0 while they fit
    /// its capacity (free slots included), else the grown slot arrays (the old ones stay alive while being copied).
    /// Lets a caller refuse a write that cannot fit before it commits to it.
    /// </summary>
    public long GrowthBytes(int newItems)
    {
        long needed = (long)_slotCount - _free.Count + newItems;
        if (needed <= _capacity) { return 0; }
        long capacity = Math.Min(Math.Max(needed, (long)_capacity * 2), MaxCount);
        const int ObjectRef = 8;
        long codes = _options.Quantization == QuantizationKind.Int8 ? _codeStride : 0;
        return (capacity * ((4L * _dim) + (4L * _stride0) + (3L * ObjectRef) + 2 + codes)) + _companions.Sum(c => c.GrowthBytes(newItems));
    }

    /// <summary>Approximate bytes held by the index (vectors, codes, graph, ids, metadata), its named vectors' graphs
    /// included.</summary>
    public long MemoryBytes => OwnMemoryBytes + CompanionMemoryBytes();

    private long OwnMemoryBytes
    {
        get
        {
            using var reading = _gate.Read();
            const int ArrayHeader = 24;
            const int ObjectRef = 8;
            long bytes = 0;
            bytes += _vectors.HeapBytes + ArrayHeader + (4L * _vectorSums.Length);
            bytes += ArrayHeader + _codes.LongLength;
            bytes += ArrayHeader + (4L * _links0.Length);
            bytes += ArrayHeader + ((long)ObjectRef * _upper.Length);
            bytes += (4L * _upperInts) + CountUpperArrays() * (long)ArrayHeader;
            bytes += ArrayHeader + _levels.Length;
            bytes += ArrayHeader + _deleted.Length;
            bytes += ArrayHeader + ((long)ObjectRef * _ids.Length);
            bytes += ((long)_slots.Count * 22) + (2 * _idChars);          // string objects
            bytes += (long)_slots.Count * 24;                              // dictionary entries and buckets
            bytes += ArrayHeader + ((long)ObjectRef * _metadata.Length);
            bytes += _metadataBytes + ((long)_metadataCount * ArrayHeader);
            bytes += 4L * _free.Count;
            bytes += _live.MemoryBytes + _payload.MemoryBytes + (_text?.MemoryBytes ?? 0);
            return bytes;
        }
    }

    /// <summary>Ints a node's layer-0 block takes: its link count then room for 2·M links; the count alone in an index
    /// without vectors (dimension 0), which has no graph.</summary>
    internal static int LinkStride0(int dimension, int m) => dimension == 0 ? 1 : 1 + (2 * m);

    private long CountUpperArrays()
    {
        long n = 0;
        for (int i = 0; i < _slotCount; i++)
        {
            if (_upper[i] is not null)
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Checks one vector (with named vectors, the concatenation of one of each) against
    /// <see cref="HnswOptions.CheckVector"/>: null when it is acceptable, else what is wrong.</summary>
    public string? ValidateVector(ReadOnlySpan<float> vector) => _options.CheckVector(vector);

    internal static int FirstNonFinite(ReadOnlySpan<float> vector)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return i;
            }
        }
        return -1;
    }

    internal static double SquaredNorm(ReadOnlySpan<float> vector)
    {
        double sum = 0;
        foreach (float x in vector)
        {
            sum += (double)x * x;
        }
        return sum;
    }

    /// <summary>Sets a slot's metadata and its entries in the payload and text indexes (a companion has neither), inside
    /// the writer's turn.</summary>
    private void SetMetadata(int slot, byte[]? metadata)
    {
        if (_metadata[slot] is { } old)
        {
            _metadataBytes -= old.Length;
            _metadataCount--;
            if (!_companion)
            {
                var entries = Entries(old, out _);
                _payload.Remove(slot, entries);
                _text?.Remove(slot, entries);
            }
        }
        _metadata[slot] = metadata;
        if (metadata is not null)
        {
            _metadataBytes += metadata.Length;
            _metadataCount++;
            if (!_companion)
            {
                var entries = Entries(metadata, out bool partial);
                _payload.Add(slot, entries, partial);
                _text?.Add(slot, entries);
            }
        }
    }

    /// <summary>The payload entries of one item's metadata, in the writer's reusable list; <paramref name="partial"/>
    /// when they are not all it holds (metadata written before such items were refused).</summary>
    private ReadOnlySpan<PayloadEntry> Entries(byte[] metadata, out bool partial)
    {
        partial = PayloadDocument.Extract(metadata, _entries) != PayloadExtraction.Complete;
        return CollectionsMarshal.AsSpan(_entries);
    }

    private Span<float> VectorOf(int slot) => _vectors.Slice(slot * _dim, _dim);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref float VectorRef(int slot) =>
        ref Unsafe.Add(ref _vectors.Reference, (nint)slot * _dim);

    /// <summary>The link block of <paramref name="node"/> on <paramref name="level"/>: a count then the slots.</summary>
    private Span<int> LinkBlock(int node, int level) => level == 0
        ? _links0.AsSpan(node * _stride0, _stride0)
        : _upper[node].AsSpan((level - 1) * (_m + 1), _m + 1);

    private int MaxLinks(int level) => level == 0 ? _m0 : _m;

    private object LockOf(int node) => _locks![node & (LockStripes - 1)];

    private static object[] NewLocks()
    {
        var locks = new object[LockStripes];
        for (int i = 0; i < locks.Length; i++)
        {
            locks[i] = new object();
        }
        return locks;
    }

    /// <summary>Grows the slot arrays (by doubling) so that at least <paramref name="needed"/> slots fit.</summary>
    private void EnsureCapacity(int needed)
    {
        if (needed <= _capacity)
        {
            return;
        }
        long target = Math.Max(needed, (long)_capacity * 2);
        long limit = MaxCount;
        if (needed > limit)
        {
            throw new InvalidOperationException($"the index cannot hold more than {limit} vectors of dimension {_dim}");
        }
        int capacity = (int)Math.Min(target, limit);
        // Filled outside the gate (only this writer changes the arrays, readers may go on reading the old ones),
        // then published at once inside it.
        Storage.VectorBuffer vectors = _vectors.Grown(capacity * _dim);
        uint[] sums = _vectors.Path is null ? _vectorSums : Grown(_vectorSums, capacity);
        int[] links0 = Grown(_links0, capacity * _stride0);
        int[]?[] upper = Grown(_upper, capacity);
        byte[] levels = Grown(_levels, capacity);
        bool[] deleted = Grown(_deleted, capacity);
        string?[] ids = Grown(_ids, capacity);
        byte[]?[] metadata = Grown(_metadata, capacity);
        SlotSet live = _live.Grown(capacity);
        byte[] codes = _quantizer is null ? _codes : Grown(_codes, capacity * _codeStride);
        Storage.VectorBuffer old = _vectors;
        using (Exclusive())
        {
            (_vectors, _links0, _upper, _levels, _deleted, _ids, _metadata, _live) = (vectors, links0, upper, levels, deleted, ids, metadata, live);
            (_codes, _vectorSums) = (codes, sums);
            _capacity = capacity;
        }
        old.Dispose();   // a mapping: no reader holds it any more (see VectorBuffer)
    }

    private static T[] Grown<T>(T[] array, int length)
    {
        var grown = new T[length];
        Array.Copy(array, grown, array.Length);
        return grown;
    }

    /// <summary>The writer's turn inside the gate (see the remarks on the class); nothing to enter while a parallel
    /// build holds the gate for its whole phase.</summary>
    private Graph.ReadWriteGate.WriteScope Exclusive() => _concurrent ? default : _gate.Write();
}
