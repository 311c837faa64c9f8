using Orleans.Concurrency;

namespace Vectord.Grains.Shards;

/// <summary>
/// One part of a sharded index, keyed <c>{index}/{shard}</c>: its own HNSW graph, log and snapshots. Only the index
/// grain calls it, and passes with every call the index's identity (<see cref="ShardContext"/>), so a shard
/// activated anywhere needs nothing else to recover. Writes are ordinary turns; reads are read-only turns.
/// </summary>
[Alias("vectord.IVectorShardGrain")]
public interface IVectorShardGrain : Replicas.IPartCopyGrain
{
    /// <summary>Durably adds or replaces items the index grain has checked.</summary>
    [Alias("Add")]
    Task<Parts.PartWrite> AddAsync(ShardContext context, IndexItem[] items);

    /// <summary>Durably deletes the ids that are present.</summary>
    [Alias("Delete")]
    Task<Parts.PartWrite> DeleteAsync(ShardContext context, string[] ids);





    /// <summary>Durably deletes the shard's items matching a checked filter.</summary>
    [Alias("DeleteWhere")]
    Task<Parts.PartWrite> DeleteWhereAsync(ShardContext context, ItemFilter filter);

    /// <summary>A page of items with fingerprints, for a merge.</summary>
    [ReadOnly, Alias("ExportPage")]
    Task<MergePage> ExportPageAsync(ShardContext context, string? after, int limit);

    /// <summary>Durably adds the items whose ids the shard does not have.</summary>
    [Alias("AddIfAbsent")]
    Task<MergeAddOutcome> AddIfAbsentAsync(ShardContext context, IndexItem[] items);

    /// <summary>Durably deletes each listed item whose content still has the given fingerprint.</summary>
    [Alias("RemoveIfUnchanged")]
    Task<Parts.PartWrite> RemoveIfUnchangedAsync(ShardContext context, string[] ids, ulong[] fingerprints);


    /// <summary>Copies the shard as it is now for a snapshot (the index grain holds its writes meanwhile) and starts
    /// saving the copy under <paramref name="staged"/>; <see cref="SavedAsync"/> waits for that.</summary>
    /// <returns>Items in the copy.</returns>
    [Alias("Freeze")]
    Task<int> FreezeAsync(ShardContext context, string staged);

    /// <summary>Completes once the copy <see cref="FreezeAsync"/> started saving under <paramref name="staged"/> is stored.</summary>
    [AlwaysInterleave, Alias("Saved")]
    Task SavedAsync(string staged);

    /// <summary>Forgets the shard in memory and deactivates; the index grain deletes its storage.</summary>
    [Alias("Release")]
    Task ReleaseAsync();
}

/// <summary>The index a shard belongs to.</summary>
/// <param name="Index">The index name.</param>
/// <param name="Generation">The index's incarnation.</param>
/// <param name="Spec">The index's parameters.</param>
/// <param name="Shard">This shard's number.</param>
[GenerateSerializer, Immutable, Alias("vectord.ShardContext")]
public sealed record ShardContext(
    [property: Id(0)] string Index,
    [property: Id(1)] string Generation,
    [property: Id(2)] IndexSpec Spec,
    [property: Id(3)] int Shard)
{
    /// <summary>The key of the shard grain.</summary>
    public static string Key(string index, int shard) => $"{index}/{shard}";
}
