using System.Collections.Concurrent;

namespace Vectord.Grains.Shards;

/// <summary>
/// The copies of index parts activated on this silo (shard grains are copy 0, replica grains the others), for the
/// placement of a copy elsewhere (<see cref="ShardSpreadPlacementDirector"/> asks every silo through its
/// <see cref="Diagnostics.ISiloStatsService"/>): a grain registers its key when activated and forgets it when
/// deactivated.
/// </summary>
public sealed class CopyRegistry
{
    private readonly ConcurrentDictionary<(string Index, int Shard), int> _held = new();

    /// <summary>Records that the copy keyed <paramref name="key"/> is active here.</summary>
    public void Activated(string key)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        _held.AddOrUpdate((index, shard), 1 << replica, (_, mask) => mask | (1 << replica));
    }

    /// <summary>Records that the copy keyed <paramref name="key"/> is no longer active here.</summary>
    public void Deactivated(string key)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        var updated = _held.AddOrUpdate((index, shard), 0, (_, mask) => mask & ~(1 << replica));
        if (updated == 0) { _held.TryRemove(new KeyValuePair<(string, int), int>((index, shard), 0)); }
    }

    /// <summary>The copies of shard <paramref name="shard"/> of <paramref name="index"/> active here, as a bit mask
    /// (bit r: copy r).</summary>
    public int CopiesOf(string index, int shard) => _held.TryGetValue((index, shard), out var mask) ? mask : 0;
}
