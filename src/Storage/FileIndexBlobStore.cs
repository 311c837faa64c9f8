using System.Buffers.Binary;
using System.Text;

namespace Vectord.Storage;

/// <summary>
/// <see cref="IIndexBlobStore"/> on a local directory. Every object is written to a temporary file in its target
/// directory, flushed to disk and then moved into place atomically, so readers see all of it or nothing; the
/// directory is flushed after every new name and every removal, so an acknowledged write survives a power loss.
/// Create-if-absent is a hard link of the temporary file to the final name, which fails when the name exists (see
/// <see cref="PosixFiles"/>); a versioned document carries its version in a small header and is replaced under an
/// exclusive lock file.
/// </summary>
public sealed class FileIndexBlobStore : IIndexBlobStore
{
    private const uint DocumentMagic = 0x434F4456; // "VDOC"
    private const int DocumentHeaderLength = 4 + 32;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly string root;

    /// <summary>Temporary files older than this are left over from writes that were killed mid-way.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    /// <summary>Creates the store rooted at <paramref name="rootPath"/> (created when missing), and starts removing,
    /// in the background, temporary files that writes killed mid-way left behind.</summary>
    public FileIndexBlobStore(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        Swept = Task.Run(() => RemoveAbandonedFiles(DateTime.UtcNow - AbandonedAfter));
    }

    /// <summary>Completes with the number of abandoned temporary files removed when the store was created.</summary>
    public Task<int> Swept { get; }

    /// <summary>The absolute root directory.</summary>
    public string RootPath => root;

    /// <inheritdoc/>
    public Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Guard(() => Durably(() => TryCreate(key, s => s.Write(content.Span)) is not null, cancellationToken));

    /// <inheritdoc/>
    public Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default) =>
        Guard(() => Durably(() => TryCreate(key, write), cancellationToken));

    /// <inheritdoc/>
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => Guard(() =>
    {
        var path = Resolve(key);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        Guard(() => Task.FromResult<IReadOnlyList<StoredObject>>(List(prefix)));

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Guard(() => Durably(() =>
    {
        var path = Resolve(key);
        if (File.Exists(path))
        {
            File.Delete(path);
            PosixFiles.FlushDirectory(Path.GetDirectoryName(path)!);
        }
    }, cancellationToken));

    /// <inheritdoc/>
    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        prefix.EndsWith('/') && !Directory.Exists(Resolve(prefix.TrimEnd('/')))
            ? Task.CompletedTask   // nothing there (a create's look for leftovers, mostly): no disk thread is needed
            : Guard(() => Durably(() =>
    {
        if (prefix.EndsWith('/'))
        {
            var dir = Resolve(prefix.TrimEnd('/'));
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
                PosixFiles.FlushDirectory(Path.GetDirectoryName(dir)!);
            }
        }
        else
        {
            foreach (var item in List(prefix)) { File.Delete(Resolve(item.Key)); }
        }
    }, cancellationToken));

    /// <inheritdoc/>
    public Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default) =>
        Guard(() => Task.FromResult(ReadDocument(Resolve(key))));

    /// <inheritdoc/>
    public Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default) =>
        Guard(() => Durably(() =>
        {
            var path = Resolve(key);
            var created = CreateDirectories(Path.GetDirectoryName(path)!);
            using var gate = AcquireLock(path);
            var current = ReadDocument(path)?.ETag;
            if (!string.Equals(current, expectedETag, StringComparison.Ordinal))
            {
                throw new StorageConflictException($"version mismatch on '{key}': expected {expectedETag ?? "none"}, found {current ?? "none"}");
            }
            var etag = Guid.NewGuid().ToString("N");
            var temp = TempPath(path);
            var moved = false;
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    Span<byte> header = stackalloc byte[DocumentHeaderLength];
                    BinaryPrimitives.WriteUInt32LittleEndian(header, DocumentMagic);
                    Encoding.ASCII.GetBytes(etag, header[4..]);
                    fs.Write(header);
                    fs.Write(content.Span);
                    fs.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: true);
                moved = true;
                FlushEntries(Path.GetDirectoryName(path)!, created);
            }
            finally
            {
                if (!moved) { File.Delete(temp); }
            }
            return etag;
        }, cancellationToken));

    /// <inheritdoc/>
    public Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default) =>
        Guard(() => Durably(() =>
        {
            var path = Resolve(key);
            if (!Directory.Exists(Path.GetDirectoryName(path))) { return; }
            using (var gate = AcquireLock(path))
            {
                var current = ReadDocument(path)?.ETag;
                if (expectedETag is not null && current is not null && !string.Equals(current, expectedETag, StringComparison.Ordinal))
                {
                    throw new StorageConflictException($"version mismatch on '{key}': expected {expectedETag}, found {current}");
                }
                File.Delete(path);
                File.Delete(LockPath(path));
            }
            DeleteEmptyParents(Path.GetDirectoryName(path)!);
        }, cancellationToken));

    private long? TryCreate(string key, Action<Stream> write)
    {
        var path = Resolve(key);
        if (File.Exists(path)) { return null; }
        var created = CreateDirectories(Path.GetDirectoryName(path)!);
        var temp = TempPath(path);
        try
        {
            long length;
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
                length = fs.Length;
            }
            if (!PosixFiles.TryMoveNoReplace(temp, path)) { return null; }
            FlushEntries(Path.GetDirectoryName(path)!, created);
            return length;
        }
        finally
        {
            File.Delete(temp);   // the name left beside the link (or the whole file when another create won)
        }
    }

    private int RemoveAbandonedFiles(DateTime writtenBefore)
    {
        if (!Directory.Exists(root)) { return 0; }
        var removed = 0;
        try
        {
            foreach (var file in new DirectoryInfo(root).EnumerateFiles(".*.tmp", SearchOption.AllDirectories))
            {
                if (file.LastWriteTimeUtc >= writtenBefore) { continue; }   // may belong to a write in progress
                file.Delete();
                removed++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the next start tries again
        }
        return removed;
    }

    private List<StoredObject> List(string prefix)
    {
        var slash = prefix.LastIndexOf('/');
        var dir = slash < 0 ? root : Resolve(prefix[..slash]);
        if (!Directory.Exists(dir)) { return []; }
        var result = new List<StoredObject>();
        foreach (var file in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.Name.StartsWith('.')) { continue; }    // temporary and lock files
            var key = Path.GetRelativePath(root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal)) { result.Add(new StoredObject(key, file.Length)); }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    private static VersionedDocument? ReadDocument(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (bytes.Length < DocumentHeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != DocumentMagic)
        {
            throw new InvalidDataException($"'{path}' is not a versioned document");
        }
        var etag = Encoding.ASCII.GetString(bytes, 4, 32);
        return new VersionedDocument(bytes.AsMemory(DocumentHeaderLength), etag);
    }

    private static FileStream AcquireLock(string path)
    {
        var lockPath = LockPath(path);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(2);
            }
        }
    }

    /// <summary>Creates a directory and the missing ones above it; returns the directories that gained an entry (the
    /// parent of each one created), deepest first, or null when it existed. Their entries are flushed by
    /// <see cref="FlushEntries"/> after the file written there: a name is durable only once every directory on its
    /// path is, and the order of those flushes does not matter as long as all come before the write is acknowledged.
    /// Flushed last, they usually cost nothing more, the file's own flush having committed the new directories with it
    /// on a journaling filesystem.</summary>
    private List<string>? CreateDirectories(string dir)
    {
        if (Directory.Exists(dir)) { return null; }
        var gained = new List<string>();
        for (var level = dir; level.Length > root.Length && !Directory.Exists(level); level = Path.GetDirectoryName(level)!)
        {
            gained.Add(Path.GetDirectoryName(level)!);
        }
        Directory.CreateDirectory(dir);
        return gained;
    }

    /// <summary>Flushes the entry of a file just written into <paramref name="dir"/>, then those of the directories
    /// <see cref="CreateDirectories"/> made for it.</summary>
    private static void FlushEntries(string dir, List<string>? created)
    {
        PosixFiles.FlushDirectory(dir);
        if (created is null) { return; }
        foreach (var parent in created) { PosixFiles.FlushDirectory(parent); }
    }

    private void DeleteEmptyParents(string dir)
    {
        while (dir.Length > root.Length && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
            dir = Path.GetDirectoryName(dir)!;
        }
    }

    private static string LockPath(string path) => Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".lock");

    private static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Maps a key to a path, refusing anything that could leave the root: empty or dot segments,
    /// characters outside the key alphabet, and (as a second line) any resolved path outside the root.</summary>
    private string Resolve(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.' || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '~'))
            {
                throw new ArgumentException($"invalid storage key '{key}'", nameof(key));
            }
        }
        var full = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"storage key '{key}' leaves the storage root", nameof(key));
        }
        return full;
    }

    /// <summary>Runs a write that waits for the disk (fsync) on one of the <see cref="DiskThreads"/>, not on a pool thread.</summary>
    private static Task<T> Durably<T>(Func<T> write, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(write, cancellationToken, TaskCreationOptions.None, DiskThreads.Shared);

    private static Task Durably(Action write, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(write, cancellationToken, TaskCreationOptions.None, DiskThreads.Shared);

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new StorageUnavailableException($"storage unavailable: {e.Message}");
        }
    }

    private static async Task Guard(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new StorageUnavailableException($"storage unavailable: {e.Message}");
        }
    }
}
