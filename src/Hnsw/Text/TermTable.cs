using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vectord.Hnsw.Text;

/// <summary>
/// The terms of one text field and their postings, compactly: each term's UTF-8 bytes in one shared arena (a length
/// byte, then the bytes), its hash, arena offset and <see cref="TermPostings"/> in arrays by term number, and an
/// open-addressing table (linear probing, backward-shift deletion) from hash to term number. A term costs about 40
/// bytes beside its text, where a dictionary of strings costs about 90: most terms of a corpus occur in one or two
/// texts, so this is most of a text index's size. Removed terms' numbers are reused; their bytes are reclaimed when
/// they reach half the arena. One writer at a time; readers while no writer runs.
/// </summary>
internal sealed class TermTable
{
    private byte[] _arena = new byte[256];
    private int _arenaUsed;
    private int _garbage;
    private int[] _offsets = new int[16];   // -1 for a removed term's number
    private ulong[] _hashes = new ulong[16];
    private TermPostings[] _postings = new TermPostings[16];
    private int[] _buckets = new int[32];   // term number + 1; 0 = empty
    private readonly Stack<int> _free = new();
    private int _highest;   // term numbers in use are below it

    /// <summary>Terms held.</summary>
    public int Count { get; private set; }

    /// <summary>Managed bytes held, arrays by capacity.</summary>
    public long MemoryBytes => (5 * 24) + _arena.Length + (4L * _offsets.Length) + (8L * _hashes.Length)
        + (24L * _postings.Length) + (4L * _buckets.Length) + (4L * _free.Count) + PostingBytes();

    private long PostingBytes()
    {
        long bytes = 0;
        for (int i = 0; i < _highest; i++) { bytes += _postings[i].MemoryBytes; }
        return bytes;
    }

    /// <summary>The postings of <paramref name="term"/>, or a null reference when it is not held.</summary>
    public ref TermPostings Find(string term)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(term.Length)];
        utf8 = utf8[..Encoding.UTF8.GetBytes(term, utf8)];
        int bucket = Probe(utf8, XxHash3.HashToUInt64(utf8));
        return ref _buckets[bucket] == 0 ? ref Unsafe.NullRef<TermPostings>() : ref _postings[_buckets[bucket] - 1];
    }

    /// <summary>The postings of <paramref name="term"/>, added empty when it is not held.</summary>
    /// <exception cref="ArgumentException">The term is longer than 255 bytes of UTF-8.</exception>
    public ref TermPostings GetOrAdd(string term)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(term.Length)];
        utf8 = utf8[..Encoding.UTF8.GetBytes(term, utf8)];
        if (utf8.Length > byte.MaxValue) { throw new ArgumentException("a term is at most 255 bytes of UTF-8", nameof(term)); }
        ulong hash = XxHash3.HashToUInt64(utf8);
        int bucket = Probe(utf8, hash);
        if (_buckets[bucket] != 0) { return ref _postings[_buckets[bucket] - 1]; }
        int id = NewId();
        _hashes[id] = hash;
        _offsets[id] = Store(utf8);
        _postings[id] = default;
        _buckets[bucket] = id + 1;
        Count++;
        if (Count * 10 > _buckets.Length * 7) { Rehash(_buckets.Length * 2); }
        return ref _postings[id];
    }

    /// <summary>Drops <paramref name="term"/> (its postings must be empty).</summary>
    public void Remove(string term)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(term.Length)];
        utf8 = utf8[..Encoding.UTF8.GetBytes(term, utf8)];
        int bucket = Probe(utf8, XxHash3.HashToUInt64(utf8));
        if (_buckets[bucket] == 0) { return; }
        int id = _buckets[bucket] - 1;
        _garbage += 1 + _arena[_offsets[id]];
        _postings[id] = default;
        _offsets[id] = -1;
        _free.Push(id);
        Count--;
        ShiftBack(bucket);
        if (_garbage > 4096 && _garbage * 2 > _arenaUsed) { Compact(); }
    }

    /// <summary>The bucket holding the term, or the empty bucket where it would go.</summary>
    private int Probe(ReadOnlySpan<byte> utf8, ulong hash)
    {
        int mask = _buckets.Length - 1;
        for (int bucket = (int)hash & mask; ; bucket = (bucket + 1) & mask)
        {
            int entry = _buckets[bucket];
            if (entry == 0) { return bucket; }
            int id = entry - 1;
            if (_hashes[id] == hash && Bytes(id).SequenceEqual(utf8)) { return bucket; }
        }
    }

    private ReadOnlySpan<byte> Bytes(int id) => _arena.AsSpan(_offsets[id] + 1, _arena[_offsets[id]]);

    /// <summary>Empties <paramref name="hole"/> and moves back the entries after it that probing would no longer reach.</summary>
    private void ShiftBack(int hole)
    {
        int mask = _buckets.Length - 1;
        for (int next = (hole + 1) & mask; _buckets[next] != 0; next = (next + 1) & mask)
        {
            int home = (int)_hashes[_buckets[next] - 1] & mask;
            // The entry at next may move to the hole when its home is not cyclically within (hole, next].
            bool reachable = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!reachable)
            {
                _buckets[hole] = _buckets[next];
                hole = next;
            }
        }
        _buckets[hole] = 0;
    }

    private int NewId()
    {
        if (_free.TryPop(out int id)) { return id; }
        if (_highest == _offsets.Length)
        {
            int capacity = _offsets.Length + (_offsets.Length / 2);
            Array.Resize(ref _offsets, capacity);
            Array.Resize(ref _hashes, capacity);
            Array.Resize(ref _postings, capacity);
        }
        return _highest++;
    }

    private int Store(ReadOnlySpan<byte> utf8)
    {
        if (_arenaUsed + 1 + utf8.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arenaUsed + 1 + utf8.Length, _arena.Length + (_arena.Length / 2)));
        }
        int offset = _arenaUsed;
        _arena[offset] = (byte)utf8.Length;
        utf8.CopyTo(_arena.AsSpan(offset + 1));
        _arenaUsed += 1 + utf8.Length;
        return offset;
    }

    private void Rehash(int size)
    {
        _buckets = new int[size];
        int mask = size - 1;
        for (int id = 0; id < _highest; id++)
        {
            if (_offsets[id] < 0) { continue; }
            int bucket = (int)_hashes[id] & mask;
            while (_buckets[bucket] != 0) { bucket = (bucket + 1) & mask; }
            _buckets[bucket] = id + 1;
        }
    }

    /// <summary>Copies the live terms' bytes into a new arena, dropping the removed ones'.</summary>
    private void Compact()
    {
        var arena = new byte[Math.Max(256, (_arenaUsed - _garbage) * 3 / 2)];
        int used = 0;
        for (int id = 0; id < _highest; id++)
        {
            if (_offsets[id] < 0) { continue; }
            int length = 1 + _arena[_offsets[id]];
            _arena.AsSpan(_offsets[id], length).CopyTo(arena.AsSpan(used));
            _offsets[id] = used;
            used += length;
        }
        (_arena, _arenaUsed, _garbage) = (arena, used, 0);
    }
}
