using System.Collections.Concurrent;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Parts;

/// <summary>
/// The shard parts loaded in this silo, by index, incarnation and shard: the index grain searches a shard that lives
/// in its own silo directly on the thread pool instead of through a grain call, which on small searches costs as
/// much as the search. Only searches take this path; every write still goes through the shard grain, and a direct
/// search never overlaps a write being applied (<see cref="IndexPart.TrySearchDirect"/>).
/// </summary>
public sealed class LocalParts
{
    private readonly ConcurrentDictionary<(string Index, string Generation, int Shard), IndexPart> _parts = new();

    /// <summary>Records the part a shard grain of this silo holds (null: it holds none any more).</summary>
    internal void Set(string index, string generation, int shard, IndexPart? part)
    {
        if (part is null) { _parts.TryRemove((index, generation, shard), out _); }
        else { _parts[(index, generation, shard)] = part; }
    }

    /// <summary>The part when a shard grain of this silo holds it, loaded and current.</summary>
    internal IndexPart? Find(string index, string generation, int shard) =>
        _parts.TryGetValue((index, generation, shard), out var part) && !part.IsStale ? part : null;

    /// <summary>Parts held in this silo.</summary>
    public int Count => _parts.Count;
}
