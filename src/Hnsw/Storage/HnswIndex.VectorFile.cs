using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw;

/// <summary>
/// Vectors in a file: an index created or loaded with a vector file keeps its float vectors in that file, mapped into
/// memory, instead of on the managed heap. Only the graph, the ids, the metadata and (under quantization) the codes
/// stay on the heap; the operating system's page cache holds as much of the vectors as memory allows, and a search
/// on the codes reads only the few it rescores.
/// </summary>
/// <remarks>
/// The file is this index's working copy, never its durable state: the caller persists the index as usual (a saved
/// image holds the vectors) and writes a new file when it loads it. Since anything may happen to a file beside a
/// running process, each slot's vector has a checksum in memory, taken when it is stored: a get and every save or
/// freeze check them, and refuse with <see cref="VectorFileDamagedException"/> to hand on vectors that changed
/// underneath, so a damaged file is never saved as the index's state. (A search does not check the sums: it may rank
/// with a damaged vector until the next check finds it.) A file cut short is worse, since a mapped page past its end
/// cannot be touched at all: every search, get, write, save and freeze first checks the open file's length
/// (<see cref="VectorFileDamagedException"/> again), and growth writes the file's new bytes before mapping them, so a
/// full disk is an <see cref="IOException"/> from <see cref="Reserve"/> or the write that grows, never a fault in a
/// mapped page.
/// </remarks>
public sealed partial class HnswIndex
{
    /// <summary>The file the vectors are mapped from, or null when they are on the managed heap.</summary>
    public string? VectorFile => _vectors.Path;

    /// <summary>
    /// Grows the index now, when needed, to take <paramref name="newItems"/> more items without growing again: a
    /// caller that must not fail after committing to a write (logging it) calls this first. With a vector file, its
    /// space is written now, so a full disk is an <see cref="IOException"/> here.
    /// </summary>
    /// <exception cref="IOException">The vector file cannot grow (the disk is full).</exception>
    /// <exception cref="VectorFileDamagedException">The vector file was cut short underneath.</exception>
    public void Reserve(int newItems)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newItems);
        _vectors.CheckLength();
        EnsureCapacity(_slotCount + Math.Max(0, newItems - _free.Count));
        foreach (HnswIndex companion in _companions)
        {
            companion.Reserve(newItems);
        }
    }

    /// <summary>Records the checksum of a slot's stored vector (vectors in a file only).</summary>
    private void SetVectorSum(int slot)
    {
        if (_vectors.Path is not null)
        {
            _vectorSums[slot] = VectorSum(slot);
        }
    }

    /// <summary>Checks one slot's vector against its checksum (vectors in a file only).</summary>
    private void CheckVectorSum(int slot)
    {
        if (_vectors.Path is not null && _vectorSums[slot] != VectorSum(slot))
        {
            throw new VectorFileDamagedException(_vectors.Path, slot);
        }
    }

    /// <summary>Checks every slot's vector against its checksum (vectors in a file only).</summary>
    private void CheckVectorSums()
    {
        for (int slot = 0; _vectors.Path is not null && slot < _slotCount; slot++)
        {
            CheckVectorSum(slot);
        }
    }

    private uint VectorSum(int slot) => XxHash32.HashToUInt32(MemoryMarshal.AsBytes<float>(VectorOf(slot)));
}

/// <summary>Raised when an index's vector file (<see cref="HnswIndex.VectorFile"/>) no longer holds the vectors written
/// to it: the file was changed by something else. The index must be loaded again from its durable state.</summary>
public sealed class VectorFileDamagedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public VectorFileDamagedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public VectorFileDamagedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public VectorFileDamagedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception for the file at <paramref name="path"/> whose vector of <paramref name="slot"/> changed.</summary>
    public VectorFileDamagedException(string path, int slot)
        : base($"the vector file {path} is damaged: the vector of slot {slot} is not the one written to it") { }
}
