using System.Collections.Concurrent;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Shards;

/// <summary>
/// The copies of index parts activated on this silo (shard grains are copy 0, replica grains the others), for the
/// placement of a copy elsewhere (<see cref="ShardSpreadPlacementDirector"/> asks every silo through its
/// <see cref="Diagnostics.ISiloStatsService"/>): a grain registers its key when activated and forgets it when
/// deactivated, and a replica says when it holds its part loaded. It is also where a replica leaves its part for the
/// primary that takes it over on this silo (<see cref="Replicas.ReplicaPromotion"/>).
/// </summary>
public sealed class CopyRegistry
{
    private readonly ConcurrentDictionary<(string Index, int Shard), CopiesHere> _held = new();
    private readonly ConcurrentDictionary<(string Index, string Generation, int Shard), IndexPart> _handedOver = new();

    /// <summary>Records that the copy keyed <paramref name="key"/> is active here.</summary>
    public void Activated(string key) => Update(key, (held, bit) => held with { Active = held.Active | bit });

    /// <summary>Records that the copy keyed <paramref name="key"/> is no longer active here.</summary>
    public void Deactivated(string key) => Update(key, (held, bit) => new CopiesHere(held.Active & ~bit, held.Ready & ~bit));

    /// <summary>Records whether the replica keyed <paramref name="key"/> holds its part loaded.</summary>
    public void Ready(string key, bool ready) => Update(key, (held, bit) => held with { Ready = ready ? held.Ready | bit : held.Ready & ~bit });

    /// <summary>The copies of shard <paramref name="shard"/> of <paramref name="index"/> active here.</summary>
    public CopiesHere CopiesOf(string index, int shard) => _held.TryGetValue((index, shard), out var held) ? held : default;

    /// <summary>Leaves the part of a replica that handed it over, for the primary activating here.</summary>
    internal void HandOver(ShardContext context, IndexPart part) => _handedOver[(context.Index, context.Generation, context.Shard)] = part;

    /// <summary>Takes the part a replica of the shard <paramref name="context"/> names handed over here, if any.</summary>
    internal IndexPart? TakeHandedOver(ShardContext context) =>
        _handedOver.TryRemove((context.Index, context.Generation, context.Shard), out var part) ? part : null;

    private void Update(string key, Func<CopiesHere, int, CopiesHere> change)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        var updated = _held.AddOrUpdate((index, shard), _ => change(default, 1 << replica), (_, held) => change(held, 1 << replica));
        if (updated.Active == 0) { _held.TryRemove(new KeyValuePair<(string, int), CopiesHere>((index, shard), updated)); }
    }
}

/// <summary>The copies of one part active on a silo, as bit masks (bit r: copy r).</summary>
/// <param name="Active">The copies activated there.</param>
/// <param name="Ready">The replicas among them that hold the part loaded.</param>
[GenerateSerializer, Immutable, Alias("vectord.CopiesHere")]
public readonly record struct CopiesHere([property: Id(0)] int Active, [property: Id(1)] int Ready);
