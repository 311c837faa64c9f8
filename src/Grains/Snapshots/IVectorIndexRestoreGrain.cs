namespace Vectord.Grains.Snapshots;

/// <summary>Internal side of an index used by a restore (<see cref="ISnapshotUploadGrain"/>), implemented by
/// <see cref="VectorIndexGrain"/>.</summary>
[Alias("vectord.IVectorIndexRestoreGrain")]
public interface IVectorIndexRestoreGrain : IGrainWithStringKey
{
    /// <summary>Creates this index from the checked snapshot file stored under <paramref name="upload"/>, with
    /// <paramref name="shards"/> parts (0: as many as the snapshot has). Nothing is left created when it fails.</summary>
    /// <exception cref="IndexAlreadyExistsException">The index exists.</exception>
    /// <exception cref="InvalidIndexArgumentException">The file cannot be restored; the message says why.</exception>
    [Alias("Restore"), ResponseTimeout("00:30:00")]
    Task<IndexInfo> RestoreAsync(string upload, int shards);
}
