using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Grains.Hosting;
using Vectord.Storage;
using Vectord.Storage.Snapshots;

namespace Vectord.Grains.Snapshots;

/// <summary>
/// One restore (see <see cref="ISnapshotUploadGrain"/>). The chunks flow through a pipe into one streamed write to
/// storage (<see cref="StorageKeys.Upload"/>), checked on the way by a <see cref="SnapshotCheck"/>, so the file is
/// never whole in memory; once it is complete and sound, the target index grain builds the index from it. The
/// uploaded file is deleted when the restore ends, however it ends, and so is it when the upload is abandoned
/// (the activation deactivates).
/// </summary>
public sealed class SnapshotUploadGrain([FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store)
    : Grain, ISnapshotUploadGrain, IDisposable
{
    private const int PipeBytes = 8 << 20;

    private readonly SnapshotCheck _check = new();
    private Pipe? _pipe;
    private Task<long?>? _stored;
    private bool _over;
    private bool _completed;

    private string Key => StorageKeys.Upload(this.GetPrimaryKey());

    /// <inheritdoc/>
    public async Task WriteAsync(byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ThrowIfOver();
        try
        {
            _check.Append(chunk);
        }
        catch (SnapshotFormatException e)
        {
            await EndAsync();
            throw new InvalidIndexArgumentException($"snapshot: {e.Message}");
        }
        if (_pipe is null)
        {
            var pipe = _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2));
            _stored = store.TryCreateAsync(Key, output =>
            {
                using var input = pipe.Reader.AsStream();
                input.CopyTo(output, 1 << 20);
            });
        }
        var flushed = await _pipe.Writer.WriteAsync(chunk);
        if (flushed.IsCompleted)   // the write to storage stopped reading: it failed
        {
            try
            {
                await _stored!;
            }
            finally
            {
                await EndAsync();
            }
            throw new StorageUnavailableException("the snapshot could not be stored");
        }
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> RestoreAsync(string index, int shards, string? sha256)
    {
        ThrowIfOver();
        IndexNames.ThrowIfInvalid(index);
        if (shards is < 0 or > IndexLimits.MaxShards) { throw new InvalidIndexArgumentException($"shards must be 0 (as in the snapshot) or between 1 and {IndexLimits.MaxShards}"); }
        try
        {
            string actual;
            try
            {
                actual = _check.Finish();
            }
            catch (SnapshotFormatException e)
            {
                throw new InvalidIndexArgumentException($"snapshot: {e.Message}");
            }
            if (sha256 is not null && !string.Equals(sha256, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidIndexArgumentException($"snapshot: the file's SHA-256 is {actual}, not {sha256.ToLowerInvariant()}");
            }
            _completed = true;
            await _pipe!.Writer.CompleteAsync();
            if (await _stored! is null) { throw new StorageUnavailableException("the upload's id was used twice; retry"); }
            return await GrainFactory.GetGrain<IVectorIndexRestoreGrain>(index).RestoreAsync(Key, shards);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <inheritdoc/>
    public Task AbortAsync() => EndAsync();

    /// <inheritdoc/>
    public void Dispose() => _check.Dispose();

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await EndAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Stops the write to storage (when still running), deletes what it stored, and ends the upload.</summary>
    private async Task EndAsync()
    {
        if (_over) { return; }
        _over = true;
        _check.Dispose();
        DeactivateOnIdle();
        if (_pipe is null) { return; }
        if (!_completed) { await _pipe.Writer.CompleteAsync(new OperationCanceledException("the upload ended")); }
        try
        {
            await _stored!;
            await store.DeleteAsync(Key);
        }
        catch (Exception)
        {
            // an aborted upload stored nothing; one that storage failed to delete is an orphan under uploads/
        }
    }

    private void ThrowIfOver()
    {
        if (_over) { throw new InvalidIndexArgumentException("snapshot: this upload is over; start the restore again"); }
    }
}
