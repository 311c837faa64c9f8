using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Storage;

/// <summary>
/// The float vectors of an index's slots, one row of <c>dimension</c> floats a slot: on the managed heap, or in a
/// memory-mapped file (<see cref="HnswIndex.VectorFile"/>), where they take no heap and the operating system's page
/// cache holds as much of them as memory allows.
/// </summary>
/// <remarks>
/// A buffer never changes size. The index grows by <see cref="Grown"/> and publishes the new buffer in the writer's
/// turn; a mapped buffer's successor maps the same, longer file (nothing is copied) and the index then disposes the
/// old mapping, which no reader can still hold: readers take the buffer inside the gate, and the writer's turn waits
/// for them to leave it.
/// </remarks>
internal sealed unsafe class VectorBuffer : IDisposable
{
    private readonly float[]? _array;
    private readonly MappedVectorFile? _file;
    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private float* _pointer;

    private VectorBuffer(float[] array, MappedVectorFile? file)
    {
        _array = array;
        _file = file;
        Length = array.Length;
    }

    private VectorBuffer(MappedVectorFile file, int length)
    {
        _file = file.Share();
        Length = length;
        long bytes = (long)length * sizeof(float);
        try
        {
            file.Reserve(bytes);
            _mapping = MemoryMappedFile.CreateFromFile(file.Stream, null, bytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            _view = _mapping.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.ReadWrite);
        }
        catch
        {
            // Nothing maps the file for this buffer: a file no other buffer shares (a copy's) is closed now, not when
            // collected, so the disk space it took (a full disk's last free pages, say) is freed at once.
            _mapping?.Dispose();
            file.Unshare();
            throw;
        }
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = (float*)(pointer + _view.PointerOffset);
    }

    /// <summary>Unmaps a buffer nobody disposed (an index that was dropped without it).</summary>
    ~VectorBuffer() => Release();

    /// <summary>An empty buffer; its growths live on the heap, or in the file at <paramref name="path"/> (created, or
    /// emptied if it exists, at the first growth).</summary>
    public static VectorBuffer Empty(string? path) => new([], path is null ? null : new MappedVectorFile(path));

    /// <summary>Floats the buffer holds.</summary>
    public int Length { get; }

    /// <summary>The file the vectors are mapped from, or null on the heap.</summary>
    public string? Path => _file?.Path;

    /// <summary>Bytes of the managed heap the buffer takes (none when mapped).</summary>
    public long HeapBytes => _array is null ? 0 : 24 + (4L * _array.Length);

    /// <summary>The first float.</summary>
    public ref float Reference
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _array is null ? ref *_pointer : ref MemoryMarshal.GetArrayDataReference(_array);
    }

    /// <summary>The floats from <paramref name="start"/> on, <paramref name="length"/> of them.</summary>
    public Span<float> Slice(int start, int length) => _array is null
        ? new Span<float>(_pointer + start, length)
        : _array.AsSpan(start, length);

    /// <summary>A buffer of <paramref name="length"/> floats (at least this one's) starting with this one's floats.
    /// Made outside the writer's turn: readers go on reading this one meanwhile.</summary>
    public VectorBuffer Grown(int length)
    {
        if (_file is null)
        {
            var array = new float[length];
            _array.AsSpan().CopyTo(array);
            return new VectorBuffer(array, null);
        }
        return new VectorBuffer(_file.Open(), length);
    }

    /// <summary>A copy of the first <paramref name="length"/> floats that later writes do not touch: an array, or for a
    /// mapped buffer an anonymous file beside this one (deleted at once; its pages go when the copy is dropped).</summary>
    public VectorBuffer Copy(int length)
    {
        if (_file is null)
        {
            return new VectorBuffer(_array.AsSpan(0, length).ToArray(), null);
        }
        var copy = new VectorBuffer(MappedVectorFile.Anonymous(_file.Path), Math.Max(length, 1));
        Slice(0, length).CopyTo(copy.Slice(0, length));
        return copy;
    }

    /// <summary>Checks, on the open file, that it still holds every mapped byte: a page past the end of a file that
    /// was cut short cannot be read or written (the process would take a fatal bus error), so a reader or writer of a
    /// mapped buffer calls this first.</summary>
    /// <exception cref="VectorFileDamagedException">The file is shorter than the mapping.</exception>
    public void CheckLength()
    {
        if (_file is null || _view is null)
        {
            return;
        }
        long length = RandomAccess.GetLength(_file.Stream.SafeFileHandle);
        if (length < (long)Length * sizeof(float))
        {
            throw new VectorFileDamagedException($"the vector file {_file.Path} is damaged: it holds {length} bytes, fewer than the {(long)Length * sizeof(float)} mapped");
        }
    }

    /// <summary>Writes the mapped floats through to their file.</summary>
    public void Flush() => _view?.Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (_pointer is null || _view is null)
        {
            return;
        }
        _pointer = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping!.Dispose();
        _file!.Unshare();
    }
}

/// <summary>The open file behind a mapped <see cref="VectorBuffer"/> and its growths, closed when the last of their
/// mappings is released. It stays usable when its name is deleted: the vectors live on until the index is gone.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Closed by the last Unshare: the mappings count their users.")]
internal sealed class MappedVectorFile(string path)
{
    private FileStream? _stream;
    private int _users;

    /// <summary>Where the file is.</summary>
    public string Path { get; } = path;

    /// <summary>The open file (after <see cref="Open"/>).</summary>
    public FileStream Stream => _stream ?? throw new InvalidOperationException("the vector file is not open");

    /// <summary>Opens the file, emptied, the first time; the same file after.</summary>
    public MappedVectorFile Open()
    {
        if (_stream is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            _stream = new FileStream(Path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        return this;
    }

    /// <summary>Makes the file at least <paramref name="bytes"/> long with its space allocated, by writing zeros past
    /// its end (a longer length alone would leave a sparse file, whose pages a full disk fails only when the mapping
    /// first writes them, as a fatal bus error). Then checks the length the file has.</summary>
    /// <exception cref="IOException">The disk has not the room (the file may be left longer; nothing maps it).</exception>
    /// <exception cref="VectorFileDamagedException">The file is shorter than that after all.</exception>
    public void Reserve(long bytes)
    {
        var handle = Stream.SafeFileHandle;
        long length = RandomAccess.GetLength(handle);
        if (length < bytes)
        {
            var zeros = new byte[(int)Math.Min(bytes - length, 1 << 20)];
            for (long at = length; at < bytes; at += zeros.Length)
            {
                RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, bytes - at)), at);
            }
            length = RandomAccess.GetLength(handle);
        }
        if (length < bytes)
        {
            throw new VectorFileDamagedException($"the vector file {Path} is damaged: it holds {length} bytes, fewer than the {bytes} reserved");
        }
    }

    /// <summary>Counts one more mapping of the file.</summary>
    public MappedVectorFile Share()
    {
        Interlocked.Increment(ref _users);
        return this;
    }

    /// <summary>Counts one mapping less; closes the file after the last.</summary>
    public void Unshare()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            _stream?.Dispose();
        }
    }

    /// <summary>A new, already deleted, file in the directory of <paramref name="besides"/>.</summary>
    public static MappedVectorFile Anonymous(string besides)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(besides))!, $".{Guid.NewGuid():N}.copy");
        var file = new MappedVectorFile(path).Open();
        File.Delete(path);
        return file;
    }
}
