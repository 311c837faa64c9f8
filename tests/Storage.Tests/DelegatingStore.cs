using Vectord.Storage;

namespace Vectord.Storage.Tests;

/// <summary>A store that passes every call to <paramref name="inner"/>; a test store overrides only the calls it
/// changes.</summary>
internal abstract class DelegatingStore(IIndexBlobStore inner) : IIndexBlobStore
{
    public virtual Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        inner.TryCreateAsync(key, content, cancellationToken);

    public virtual Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default) =>
        inner.TryCreateAsync(key, write, cancellationToken);

    public virtual Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        inner.OpenReadAsync(key, cancellationToken);

    public virtual Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, cancellationToken);

    public virtual Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public virtual Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        inner.DeletePrefixAsync(prefix, cancellationToken);

    public virtual Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default) =>
        inner.ReadDocumentAsync(key, cancellationToken);

    public virtual Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default) =>
        inner.WriteDocumentAsync(key, content, expectedETag, cancellationToken);

    public virtual Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default) =>
        inner.DeleteDocumentAsync(key, expectedETag, cancellationToken);
}
