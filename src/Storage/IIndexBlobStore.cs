namespace Vectord.Storage;

/// <summary>
/// Keyed byte storage behind the <c>storaged</c> provider: large index data (log records, snapshots) written once
/// under unique keys, and small versioned documents (grain state) written with optimistic concurrency.
/// Keys are <c>/</c>-separated paths built from validated names only. Every failure to reach or use the
/// storage surfaces as <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IIndexBlobStore
{
    /// <summary>Writes <paramref name="content"/> under <paramref name="key"/> unless the key exists.
    /// The data is durable when the call returns true.</summary>
    /// <returns>False when the key already exists (nothing was written).</returns>
    Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Streams data produced by <paramref name="write"/> under <paramref name="key"/> unless the key exists;
    /// readers never see a partial object. The callback runs on a thread-pool thread and may write synchronously.</summary>
    /// <returns>The number of bytes written, or null when the key already exists.</returns>
    Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the objects whose key starts with <paramref name="prefix"/>, sorted by key (ordinal).</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Reads a versioned document, or returns null when it does not exist.</summary>
    Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Replaces a versioned document when its current version is <paramref name="expectedETag"/>
    /// (null: only when it does not exist yet).</summary>
    /// <returns>The new version.</returns>
    /// <exception cref="StorageConflictException">The stored version differs from <paramref name="expectedETag"/>.</exception>
    Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a versioned document when its current version is <paramref name="expectedETag"/>
    /// (null: unconditionally); a missing document is not an error.</summary>
    /// <exception cref="StorageConflictException">The stored version differs from <paramref name="expectedETag"/>.</exception>
    Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default);
}

/// <summary>One stored object: its key and size in bytes.</summary>
/// <param name="Key">The full key.</param>
/// <param name="Length">Size in bytes.</param>
public sealed record StoredObject(string Key, long Length);

/// <summary>A versioned document's content and version.</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ETag">The version, to pass back to a conditional write.</param>
public sealed record VersionedDocument(ReadOnlyMemory<byte> Content, string ETag);

/// <summary>A conditional write found a different version than expected: another writer got there first.</summary>
public sealed class StorageConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageConflictException() { }
    /// <summary>Creates the exception with a message.</summary>
    public StorageConflictException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public StorageConflictException(string message, Exception inner) : base(message, inner) { }
}
