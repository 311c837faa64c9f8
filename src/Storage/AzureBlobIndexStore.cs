using System.IO.Pipelines;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Vectord.Storage;

/// <summary>
/// <see cref="IIndexBlobStore"/> on Azure Blob Storage (or Azurite). Create-if-absent is an upload with
/// <c>If-None-Match: *</c>; versioned documents use the blob's ETag with <c>If-Match</c>. The retry policy is
/// modest (two retries, short delays, a bounded network timeout) so an outage fails fast.
/// </summary>
public sealed class AzureBlobIndexStore : IIndexBlobStore
{
    private const int BlockSize = 4 << 20;
    private readonly BlobContainerClient container;
    private readonly Lock containerGate = new();
    private Task? containerReady;

    /// <summary>Creates the store for <paramref name="containerName"/> in the account of <paramref name="connectionString"/>.</summary>
    public AzureBlobIndexStore(string connectionString, string containerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
        container = new BlobContainerClient(connectionString, containerName, options);
    }

    /// <inheritdoc/>
    public Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Blob(key).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = IfAbsent() }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (IsConflict(e))
            {
                return false;
            }
        });

    /// <inheritdoc/>
    public Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default) =>
        Guard<long?>(async () =>
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            var blob = Blob(key);
            if (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)) { return null; }
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 2 * BlockSize, resumeWriterThreshold: BlockSize));
            long written = 0;
            var producer = Task.Run(() =>
            {
                try
                {
                    using var output = new CountingStream(pipe.Writer.AsStream(leaveOpen: true));
                    write(output);
                    output.Flush();
                    written = output.Count;
                    pipe.Writer.Complete();
                }
                catch (Exception e)
                {
                    pipe.Writer.Complete(e);
                    throw;
                }
            }, cancellationToken);
            var input = pipe.Reader.AsStream();
            try
            {
                var options = new BlobUploadOptions
                {
                    Conditions = IfAbsent(),
                    TransferOptions = new StorageTransferOptions { MaximumConcurrency = 1, InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize },
                };
                await blob.UploadAsync(input, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception uploadError)
            {
                await input.DisposeAsync().ConfigureAwait(false);   // unblocks the producer
                try
                {
                    await producer.ConfigureAwait(false);
                }
                catch (Exception) when (IsStorageFailure(uploadError))
                {
                    // the upload failure is the one to report
                }
                throw;
            }
            await producer.ConfigureAwait(false);
            await input.DisposeAsync().ConfigureAwait(false);
            return written;
        }, conflictAsNull: true);

    /// <inheritdoc/>
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        Guard<Stream?>(async () =>
        {
            try
            {
                return await Blob(key).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = BlockSize }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        Guard<IReadOnlyList<StoredObject>>(async () =>
        {
            var result = new List<StoredObject>();
            try
            {
                await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
                {
                    result.Add(new StoredObject(item.Name, item.Properties.ContentLength ?? 0));
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return [];   // no container yet
            }
            result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return result;
        });

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Guard(async () => await Blob(key).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            foreach (var item in await ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                await Blob(item.Key).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        });

    /// <inheritdoc/>
    public Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default) =>
        Guard<VersionedDocument?>(async () =>
        {
            try
            {
                var result = await Blob(key).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                return new VersionedDocument(result.Value.Content.ToMemory(), result.Value.Details.ETag.ToString());
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        });

    /// <inheritdoc/>
    public Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            var conditions = expectedETag is null ? IfAbsent() : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
            try
            {
                var info = await Blob(key).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
                return info.Value.ETag.ToString();
            }
            catch (RequestFailedException e) when (IsConflict(e))
            {
                throw new StorageConflictException($"version mismatch on '{key}'", e);
            }
        });

    /// <inheritdoc/>
    public Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            var conditions = expectedETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
            try
            {
                await Blob(key).DeleteIfExistsAsync(DeleteSnapshotsOption.None, conditions, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StorageConflictException($"version mismatch on '{key}'", e);
            }
        });

    private BlobClient Blob(string key) => container.GetBlobClient(key);

    private static BlobRequestConditions IfAbsent() => new() { IfNoneMatch = ETag.All };

    private static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        lock (containerGate)
        {
            if (containerReady is null || containerReady.IsFaulted || containerReady.IsCanceled)
            {
                containerReady = container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            }
            return containerReady.WaitAsync(cancellationToken);
        }
    }

    private static bool IsStorageFailure(Exception e) =>
        e is RequestFailedException or AggregateException or HttpRequestException or IOException or TimeoutException or TaskCanceledException;

    private static async Task<T> Guard<T>(Func<Task<T>> action, bool conflictAsNull = false)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (conflictAsNull && IsConflict(e))
        {
            return default!;
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw new StorageUnavailableException($"storage unavailable: {FirstLine(e.Message)}");
        }
    }

    private static async Task Guard(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw new StorageUnavailableException($"storage unavailable: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
