using Orleans.Concurrency;
using Vectord.Grains.Shards;

namespace Vectord.Grains.Replicas;

/// <summary>
/// A replica of one part of a replicated index, keyed <c>{index}/{shard}/{replica}</c> (replica 1 to replicas − 1;
/// copy 0, the primary, is the shard grain <c>{index}/{shard}</c>). It loads the part from the storage its primary
/// writes (the latest snapshot, then the log after it), then applies each record the primary passes it
/// (<see cref="FollowAsync"/>), catching up from storage when it missed one. It never writes to storage. Reads are
/// refused with <see cref="CopyNotReadyException"/> while it loads or catches up, so the index reads another copy.
/// </summary>
[Alias("vectord.IVectorReplicaGrain")]
public interface IVectorReplicaGrain : IPartCopyGrain
{
    /// <summary>Applies records the primary wrote, in log order.</summary>
    /// <param name="context">The index the part belongs to.</param>
    /// <param name="records">Consecutive log records, oldest first; those already applied are skipped.</param>
    /// <param name="primarySeq">The primary's last record.</param>
    /// <returns>The last record the replica has applied, or −1 while it loads (it then holds every record storage had
    /// when the load began, and later ones are passed again).</returns>
    [Alias("Follow")]
    Task<long> FollowAsync(ShardContext context, LogEntry[] records, long primarySeq);

    /// <summary>Hands the part it holds loaded to the part's primary, which is activating on the same silo and takes it
    /// over (see <see cref="ReplicaPromotion"/>), and deactivates, also when it has nothing to hand over: it is placed
    /// anew on another silo than the primary's.</summary>
    /// <param name="context">The index the part belongs to.</param>
    /// <returns>False when it holds no part of that incarnation loaded (the primary loads from storage).</returns>
    [Alias("HandOver")]
    Task<bool> HandOverAsync(ShardContext context);

    /// <summary>Told by the part's primary as it leaves a silo that shuts down: calls the primary, so that it activates
    /// again at once, on this replica's silo when the replica holds the part loaded, and takes the part over there.</summary>
    /// <param name="context">The index the part belongs to.</param>
    [Alias("PrimaryLeaving"), OneWay]
    Task PrimaryLeavingAsync(ShardContext context);

    /// <summary>Forgets the replica in memory and deactivates (the index was dropped).</summary>
    [Alias("Release")]
    Task ReleaseAsync();
}

/// <summary>One log record as the primary wrote it.</summary>
/// <param name="Seq">Its sequence number.</param>
/// <param name="Bytes">Its encoding, checksummed.</param>
/// <param name="Links">For an add, the link lists the primary wrote applying it (<see cref="Hnsw.LinkChanges"/>), which
/// the replica writes instead of searching the graph; null: the replica applies the record as the primary did.</param>
[GenerateSerializer, Immutable, Alias("vectord.LogEntry")]
public sealed record LogEntry([property: Id(0)] long Seq, [property: Id(1)] byte[] Bytes, [property: Id(2)] byte[]? Links = null);

/// <summary>A copy of a part is loading or catching up and does not answer reads yet; another copy does.</summary>
[GenerateSerializer, Alias("vectord.CopyNotReadyException")]
public sealed class CopyNotReadyException(string message) : VectordException(message);

/// <summary>The grain keys of the copies of a part.</summary>
public static class CopyKeys
{
    /// <summary>The key of copy <paramref name="replica"/> of shard <paramref name="shard"/>: the shard grain's for
    /// copy 0, <c>{index}/{shard}/{replica}</c> for the others.</summary>
    public static string Key(string index, int shard, int replica) =>
        replica == 0 ? ShardContext.Key(index, shard) : $"{ShardContext.Key(index, shard)}/{replica}";

    /// <summary>Reads a copy's key back: the index, the shard and the copy's number.</summary>
    public static (string Index, int Shard, int Replica) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        return parts.Length switch
        {
            3 when int.TryParse(parts[1], out var s) && int.TryParse(parts[2], out var r) => (parts[0], s, r),
            2 when int.TryParse(parts[1], out var s) => (parts[0], s, 0),
            _ => (key, 0, 0),
        };
    }
}
