namespace Vectord.Grains;

/// <summary>The small, versioned record of an index kept in grain storage: its parameters, the incarnation its
/// data belongs to and, for an unsharded index, the snapshot that recovery of its one part starts from (log records
/// after the snapshot complete it; each shard of a sharded index keeps its own checkpoint beside its log).</summary>
public sealed class IndexManifest
{
    /// <summary>Effective parameters; null when the index does not exist.</summary>
    public IndexSpec? Spec { get; set; }

    /// <summary>Random token of this incarnation: storage keys of its log and snapshots contain it, so data of a
    /// dropped index of the same name can never be mistaken for this one's.</summary>
    public string Generation { get; set; } = "";

    /// <summary>Sequence number covered by the latest snapshot; 0 = no snapshot (start from an empty index).</summary>
    public long SnapshotSeq { get; set; }

    /// <summary>Size of the latest snapshot in bytes.</summary>
    public long SnapshotBytes { get; set; }

    /// <summary>How items are placed in the parts of a sharded index (<see cref="Shards.ShardRouting.Scheme"/>); null
    /// in manifests written before sharding, whose indexes have one part.</summary>
    public string? ShardScheme { get; set; }
}
