namespace Vectord.Storage.Log;

/// <summary>
/// The durable pointer recovery starts from: the sequence number of a part's latest snapshot (0: none, start from an
/// empty index) and its size. Moving it is a conditional write, so of two activations of one part only one can.
/// </summary>
internal interface IPartCheckpoint
{
    /// <summary>Sequence number covered by the latest snapshot; 0 = none.</summary>
    long SnapshotSeq { get; }

    /// <summary>Size of the latest snapshot in bytes.</summary>
    long SnapshotBytes { get; }

    /// <summary>Points the checkpoint at the snapshot taken at <paramref name="seq"/>.</summary>
    /// <returns>False when another writer changed the checkpoint first (nothing was written).</returns>
    /// <exception cref="StorageUnavailableException">Storage failed; the checkpoint is unchanged.</exception>
    Task<bool> TryMoveAsync(long seq, long bytes);
}
