using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Text;

/// <summary>
/// The slots holding one term in one field and how often each holds it, ordered by slot, compressed: a term in one
/// slot is held inline; up to <see cref="BlockSize"/> postings are one byte array of variable-length integers (each
/// posting the gap from the previous slot, then the frequency: two or three bytes for most); more are blocks of such
/// arrays, so that a write re-encodes one block, never the whole list. Appending a slot above the last one (new items
/// take the highest slots) writes only its bytes. Kept as a value in its field's term dictionary: no object per term
/// but the bytes.
/// </summary>
internal struct TermPostings
{
    /// <summary>Most postings in one encoded block; a block past it splits in two.</summary>
    public const int BlockSize = 128;

    /// <summary>Null: the one posting is inline (<see cref="_slot"/>, <see cref="_tail"/>); a byte array: one block
    /// (<see cref="_tail"/> bytes used); a <see cref="PostingBlocks"/>: several.</summary>
    private object? _data;
    /// <summary>One posting: its slot; one block: the last slot (for appends).</summary>
    private int _slot;
    /// <summary>One posting: its frequency; one block: the bytes used.</summary>
    private int _tail;

    /// <summary>Slots holding the term.</summary>
    public int Count { get; private set; }

    /// <summary>Managed bytes held outside the dictionary entry.</summary>
    public readonly long MemoryBytes => _data switch
    {
        byte[] bytes => 24L + bytes.Length,
        PostingBlocks blocks => blocks.MemoryBytes,
        _ => 0,
    };

    /// <summary>The postings in slot order.</summary>
    public readonly PostingReader Read() => _data switch
    {
        byte[] bytes => new PostingReader(bytes, _tail, null),
        PostingBlocks blocks => new PostingReader(null, 0, blocks),
        _ => PostingReader.One(_slot, _tail),
    };

    /// <summary>Whether <paramref name="slot"/> holds the term.</summary>
    public readonly bool Contains(int slot)
    {
        var reader = Read();
        while (reader.Next(out int at, out _) && at <= slot)
        {
            if (at == slot) { return true; }
        }
        return false;
    }

    /// <summary>Records that <paramref name="slot"/>, which holds no posting here, holds the term
    /// <paramref name="frequency"/> (≥ 1) times.</summary>
    public void Add(int slot, int frequency)
    {
        switch (_data)
        {
            case null when Count == 0:
                (_slot, _tail) = (slot, frequency);
                break;
            case null:
                List<(int, int)> two = slot > _slot ? [(_slot, _tail), (slot, frequency)] : [(slot, frequency), (_slot, _tail)];
                _data = PostingCodec.Encode(CollectionsMarshal.AsSpan(two), out _tail);
                _slot = Math.Max(slot, _slot);
                break;
            case byte[] bytes when slot > _slot && Count < BlockSize:
                _data = PostingCodec.Append(bytes, ref _tail, slot - _slot, frequency);
                _slot = slot;
                break;
            case byte[] bytes:
                var postings = PostingCodec.Decode(bytes.AsSpan(0, _tail));
                postings.Insert(~PostingCodec.Find(postings, slot), (slot, frequency));
                SetBlock(postings);
                break;
            case PostingBlocks blocks:
                blocks.Add(slot, frequency);
                break;
        }
        Count++;
    }

    /// <summary>Removes the posting of <paramref name="slot"/>, if any.</summary>
    public void Remove(int slot)
    {
        switch (_data)
        {
            case null when Count == 1 && _slot == slot:
                Count = 0;
                break;
            case byte[] bytes:
                var postings = PostingCodec.Decode(bytes.AsSpan(0, _tail));
                int at = PostingCodec.Find(postings, slot);
                if (at < 0) { return; }
                postings.RemoveAt(at);
                Count--;
                if (Count == 1) { (_data, _slot, _tail) = (null, postings[0].Slot, postings[0].Frequency); }
                else { SetBlock(postings); }
                break;
            case PostingBlocks blocks when blocks.Remove(slot):
                Count--;
                if (Count <= BlockSize / 2) { SetBlock(blocks.All()); }
                break;
        }
    }

    private void SetBlock(List<(int Slot, int Frequency)> postings)
    {
        if (postings.Count > BlockSize)
        {
            _data = PostingBlocks.Of(postings);
            return;
        }
        _data = PostingCodec.Encode(CollectionsMarshal.AsSpan(postings), out _tail);
        _slot = postings[^1].Slot;
    }
}

/// <summary>Reads postings in slot order from one encoded block, from blocks, or from one inline posting.</summary>
internal struct PostingReader
{
    private readonly PostingBlocks? _blocks;
    private byte[]? _bytes;
    private int _length;
    private int _at;
    private int _previous;
    private int _block;
    private int _single;   // an inline posting's frequency, 0 when read or absent
    private int _singleSlot;

    public PostingReader(byte[]? bytes, int length, PostingBlocks? blocks)
    {
        (_bytes, _length) = (bytes, length);
        _blocks = blocks;
        _block = -1;
    }

    /// <summary>A reader of one posting.</summary>
    public static PostingReader One(int slot, int frequency) => new(null, 0, null) { _single = frequency, _singleSlot = slot };

    /// <summary>The next posting; false at the end.</summary>
    public bool Next(out int slot, out int frequency)
    {
        if (_single > 0)
        {
            (slot, frequency, _single) = (_singleSlot, _single, 0);
            return true;
        }
        while (_at >= _length)
        {
            if (_blocks is null || ++_block >= _blocks.BlockCount)
            {
                (slot, frequency) = (0, 0);
                return false;
            }
            (_bytes, _length) = _blocks.Block(_block);
            (_at, _previous) = (0, 0);
        }
        var bytes = _bytes.AsSpan(0, _length);
        _previous += (int)PostingCodec.ReadVarint(bytes, ref _at);
        slot = _previous;
        frequency = (int)PostingCodec.ReadVarint(bytes, ref _at);
        return true;
    }
}

/// <summary>The postings of a frequent term: blocks of at most <see cref="TermPostings.BlockSize"/> postings, each
/// encoded on its own (its first slot as a gap from 0), ordered by their first slots.</summary>
internal sealed class PostingBlocks
{
    private readonly List<(int First, byte[] Bytes, int Used)> _blocks = [];

    public int BlockCount => _blocks.Count;

    public long MemoryBytes => 32 + (24L * _blocks.Capacity) + _blocks.Sum(b => 24L + b.Bytes.Length);

    public (byte[] Bytes, int Used) Block(int i) => (_blocks[i].Bytes, _blocks[i].Used);

    private ReadOnlySpan<byte> Encoded(int i) => _blocks[i].Bytes.AsSpan(0, _blocks[i].Used);

    /// <summary>Blocks of half the block size each, leaving room to grow.</summary>
    public static PostingBlocks Of(List<(int Slot, int Frequency)> postings)
    {
        var blocks = new PostingBlocks();
        for (int start = 0; start < postings.Count; start += TermPostings.BlockSize / 2)
        {
            blocks.Put(blocks._blocks.Count, postings.GetRange(start, Math.Min(TermPostings.BlockSize / 2, postings.Count - start)));
        }
        return blocks;
    }

    public void Add(int slot, int frequency)
    {
        int b = BlockOf(slot);
        var postings = PostingCodec.Decode(Encoded(b));
        postings.Insert(~PostingCodec.Find(postings, slot), (slot, frequency));
        if (postings.Count > TermPostings.BlockSize)
        {
            int half = postings.Count / 2;
            Put(b, postings.GetRange(0, half));
            _blocks.Insert(b + 1, default);
            Put(b + 1, postings.GetRange(half, postings.Count - half));
            return;
        }
        Put(b, postings);
    }

    public bool Remove(int slot)
    {
        int b = BlockOf(slot);
        var postings = PostingCodec.Decode(Encoded(b));
        int at = PostingCodec.Find(postings, slot);
        if (at < 0) { return false; }
        postings.RemoveAt(at);
        if (postings.Count == 0) { _blocks.RemoveAt(b); }
        else { Put(b, postings); }
        return true;
    }

    /// <summary>Every posting, decoded.</summary>
    public List<(int Slot, int Frequency)> All()
    {
        var all = new List<(int, int)>();
        for (int b = 0; b < _blocks.Count; b++) { all.AddRange(PostingCodec.Decode(Encoded(b))); }
        return all;
    }

    /// <summary>The block that holds, or would hold, <paramref name="slot"/>: the last whose first slot is at most it.</summary>
    private int BlockOf(int slot)
    {
        int low = 0, high = _blocks.Count - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >>> 1;
            if (_blocks[mid].First <= slot) { low = mid; } else { high = mid - 1; }
        }
        return low;
    }

    private void Put(int b, List<(int Slot, int Frequency)> postings)
    {
        var bytes = PostingCodec.Encode(CollectionsMarshal.AsSpan(postings), out int used);
        if (b == _blocks.Count) { _blocks.Add((postings[0].Slot, bytes, used)); }
        else { _blocks[b] = (postings[0].Slot, bytes, used); }
    }
}

/// <summary>The encoding of a block of postings: per posting, the gap from the previous slot (from 0 for the first),
/// then the frequency, each an unsigned LEB128 variable-length integer (7 bits a byte).</summary>
internal static class PostingCodec
{
    public static byte[] Encode(ReadOnlySpan<(int Slot, int Frequency)> postings, out int used)
    {
        var bytes = new byte[Math.Max(4, postings.Length * 3)];
        used = 0;
        int previous = 0;
        foreach (var (slot, frequency) in postings)
        {
            bytes = Append(bytes, ref used, slot - previous, frequency);
            previous = slot;
        }
        return bytes;
    }

    /// <summary>Appends one posting (its gap and frequency) at <paramref name="used"/>, growing the array by half
    /// again when it is full.</summary>
    public static byte[] Append(byte[] bytes, ref int used, int gap, int frequency)
    {
        if (used + 10 > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(used + 10, bytes.Length + (bytes.Length / 2)));
        }
        used = WriteVarint(bytes, used, (uint)gap);
        used = WriteVarint(bytes, used, (uint)frequency);
        return bytes;
    }

    public static List<(int Slot, int Frequency)> Decode(ReadOnlySpan<byte> bytes)
    {
        var postings = new List<(int, int)>();
        int at = 0, slot = 0;
        while (at < bytes.Length)
        {
            slot += (int)ReadVarint(bytes, ref at);
            postings.Add((slot, (int)ReadVarint(bytes, ref at)));
        }
        return postings;
    }

    /// <summary>The index of <paramref name="slot"/>'s posting, or the bitwise complement of where it would go.</summary>
    public static int Find(List<(int Slot, int Frequency)> postings, int slot)
    {
        int low = 0, high = postings.Count - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            int at = postings[mid].Slot;
            if (at == slot) { return mid; }
            if (at < slot) { low = mid + 1; } else { high = mid - 1; }
        }
        return ~low;
    }

    public static uint ReadVarint(ReadOnlySpan<byte> bytes, ref int at)
    {
        uint value = 0;
        int shift = 0;
        byte b;
        do
        {
            b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return value;
    }

    private static int WriteVarint(byte[] bytes, int at, uint value)
    {
        while (value >= 0x80)
        {
            bytes[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[at++] = (byte)value;
        return at;
    }
}
