using Vectord.Storage;

namespace Vectord.Storage.Log;

/// <summary>
/// Where one part of an index keeps its data: log records under <c>wal/</c>, snapshots under <c>snap/</c>, both keyed
/// by sequence number, below <see cref="StorageKeys.PartPrefix"/>. An unsharded index's single part (<see cref="Shard"/>
/// null) uses the generation's own folder, the layout indexes have always had; part i of a sharded index uses
/// <c>sNN/</c> below it, with its checkpoint document beside its log.
/// </summary>
/// <param name="Index">The index name.</param>
/// <param name="Generation">The incarnation of the index the data belongs to.</param>
/// <param name="Shard">The part's number in a sharded index; null for an unsharded index.</param>
internal sealed record PartLocation(string Index, string Generation, int? Shard)
{
    /// <summary>Everything of this part.</summary>
    public string Root => StorageKeys.PartPrefix(Index, Generation, Shard);

    /// <summary>The log records.</summary>
    public string WalPrefix => Root + "wal/";

    /// <summary>The snapshots.</summary>
    public string SnapshotPrefix => Root + "snap/";

    /// <summary>The checkpoint document of a sharded part.</summary>
    public string Checkpoint => Root + "checkpoint";

    /// <summary>The key of log record <paramref name="seq"/>.</summary>
    public string Wal(long seq) => WalPrefix + StorageKeys.SeqText(seq);

    /// <summary>The key of the snapshot taken at <paramref name="seq"/>.</summary>
    public string Snapshot(long seq) => SnapshotPrefix + StorageKeys.SeqText(seq);

    /// <summary>How messages name the part.</summary>
    public override string ToString() => Shard is { } s ? $"index '{Index}' shard {s}" : $"index '{Index}'";
}
