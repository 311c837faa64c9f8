using Orleans.Concurrency;

namespace Vectord;

/// <summary>
/// The stored snapshots of the indexes (a stateless worker: any silo serves any call). Snapshots live in the node's
/// storage outside the data of their index, so they outlive a drop of it: they are listed, read and deleted by index
/// name whether or not an index of that name exists now. A snapshot is taken by <see cref="IVectorIndexGrain.CreateSnapshotAsync"/>
/// and restored through <see cref="ISnapshotUploadGrain"/>.
/// </summary>
[Alias("vectord.ISnapshotStoreGrain")]
public interface ISnapshotStoreGrain : IGrainWithIntegerKey
{
    /// <summary>The snapshots of <paramref name="index"/>, newest first.</summary>
    [Alias("List")]
    Task<SnapshotInfo[]> ListAsync(string index);

    /// <summary>One snapshot's description.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Get")]
    Task<SnapshotInfo> GetAsync(string index, string snapshot);

    /// <summary>Up to <paramref name="count"/> bytes (at most 4 MiB) of the snapshot's file from
    /// <paramref name="offset"/>; fewer only at its end.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Read")]
    Task<byte[]> ReadAsync(string index, string snapshot, long offset, int count);

    /// <summary>Deletes a snapshot.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Delete")]
    Task DeleteAsync(string index, string snapshot);
}

/// <summary>
/// One restore of a snapshot file into a new index, keyed by a fresh id: the file arrives in chunks, in order
/// (<see cref="WriteAsync"/>, about 1 MiB each), and is streamed to storage while it is checked; then
/// <see cref="RestoreAsync"/> creates the index from it, or <see cref="AbortAsync"/> drops it. Either ends the upload.
/// </summary>
[Alias("vectord.ISnapshotUploadGrain")]
public interface ISnapshotUploadGrain : IGrainWithGuidKey
{
    /// <summary>Takes the next chunk of the file.</summary>
    /// <exception cref="InvalidIndexArgumentException">The file is not a snapshot, or of an unknown version (the
    /// upload is over).</exception>
    [Alias("Write")]
    Task WriteAsync(byte[] chunk);

    /// <summary>Checks the whole file and creates the index <paramref name="index"/> from it.</summary>
    /// <param name="index">The new index's name.</param>
    /// <param name="shards">Parts of the new index; 0 = as many as the snapshot has.</param>
    /// <param name="sha256">When set, the SHA-256 (hex) the whole file must have.</param>
    /// <returns>The new index's parameters and length.</returns>
    /// <exception cref="InvalidIndexArgumentException">The file is damaged, truncated, of an unknown version, or its
    /// SHA-256 is not <paramref name="sha256"/>; nothing was created.</exception>
    /// <exception cref="IndexAlreadyExistsException">The index exists; nothing was changed.</exception>
    [Alias("Restore"), ResponseTimeout("00:30:00")]
    Task<IndexInfo> RestoreAsync(string index, int shards, string? sha256);

    /// <summary>Drops what was uploaded.</summary>
    [Alias("Abort")]
    Task AbortAsync();
}
