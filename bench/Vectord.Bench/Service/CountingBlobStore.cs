using Vectord.Storage;

namespace Vectord.Bench.Service;

/// <summary>
/// Wraps the silo's real <see cref="IIndexBlobStore"/> and counts every byte handed to it for writing: log
/// records and snapshots (create-once objects) and versioned documents (grain state such as the manifest and the
/// catalog). Objects deleted later (log records and snapshots superseded by compaction) stay counted, so the totals
/// are the bytes ever written, not the bytes at rest. Only writes the store acknowledged are counted.
/// </summary>
internal sealed class CountingBlobStore(IIndexBlobStore inner) : IIndexBlobStore
{
    private long _logBytes;
    private long _snapshotBytes;
    private long _documentBytes;
    private long _logWrites;
    private long _snapshotWrites;
    private long _documentWrites;

    public StorageWriteCounts Counts => new(
        Interlocked.Read(ref _logBytes), Interlocked.Read(ref _snapshotBytes), Interlocked.Read(ref _documentBytes),
        Interlocked.Read(ref _logWrites), Interlocked.Read(ref _snapshotWrites), Interlocked.Read(ref _documentWrites));

    public async Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var created = await inner.TryCreateAsync(key, content, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            Count(key, content.Length);
        }
        return created;
    }

    public async Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default)
    {
        var written = await inner.TryCreateAsync(key, write, cancellationToken).ConfigureAwait(false);
        if (written is { } bytes)
        {
            Count(key, bytes);
        }
        return written;
    }

    public async Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var etag = await inner.WriteDocumentAsync(key, content, expectedETag, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _documentBytes, content.Length);
        Interlocked.Increment(ref _documentWrites);
        return etag;
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(prefix, cancellationToken);

    public Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default) => inner.ReadDocumentAsync(key, cancellationToken);

    public Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default) =>
        inner.DeleteDocumentAsync(key, expectedETag, cancellationToken);

    private void Count(string key, long bytes)
    {
        // Keys are indexes/{name}/{generation}/wal/{seq} and indexes/{name}/{generation}/snap/{seq}.
        if (key.Contains("/snap/", StringComparison.Ordinal))
        {
            Interlocked.Add(ref _snapshotBytes, bytes);
            Interlocked.Increment(ref _snapshotWrites);
        }
        else
        {
            Interlocked.Add(ref _logBytes, bytes);
            Interlocked.Increment(ref _logWrites);
        }
    }
}

/// <summary>Bytes (and objects) written to storage, by kind.</summary>
internal readonly record struct StorageWriteCounts(
    long LogBytes, long SnapshotBytes, long DocumentBytes, long LogWrites, long SnapshotWrites, long DocumentWrites)
{
    public long TotalBytes => LogBytes + SnapshotBytes + DocumentBytes;
}
