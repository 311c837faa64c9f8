using Vectord.Storage.Log;

namespace Vectord.Grains.Parts;

/// <summary>The checkpoint of an unsharded index, kept in its manifest (grain state) as it always has been.</summary>
internal sealed class ManifestCheckpoint(DeferredGrainState<IndexManifest> manifest) : IPartCheckpoint
{
    /// <inheritdoc/>
    public long SnapshotSeq => manifest.State.SnapshotSeq;

    /// <inheritdoc/>
    public long SnapshotBytes => manifest.State.SnapshotBytes;

    /// <inheritdoc/>
    public async Task<bool> TryMoveAsync(long seq, long bytes)
    {
        var state = manifest.State;
        var (oldSeq, oldBytes) = (state.SnapshotSeq, state.SnapshotBytes);
        (state.SnapshotSeq, state.SnapshotBytes) = (seq, bytes);
        var written = false;
        try
        {
            written = await GrainStateWrites.TryAsync(manifest.WriteStateAsync);
            return written;
        }
        finally
        {
            if (!written) { (state.SnapshotSeq, state.SnapshotBytes) = (oldSeq, oldBytes); }
        }
    }
}
