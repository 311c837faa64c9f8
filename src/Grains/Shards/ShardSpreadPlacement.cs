using System.IO.Hashing;
using System.Text;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Vectord.Grains.Shards;

/// <summary>
/// Places the shards of an index round-robin over the silos that can host them: shard <c>s</c> of index <c>name</c>
/// goes to silo <c>(hash(name) + s) mod n</c> of the compatible silos in address order. The shards of one index are
/// thus spread as evenly as the silos allow (never all on one silo while there are two), which placement by
/// activation count, deciding from statistics a few seconds old, cannot promise when the shards are created
/// together. When a silo leaves, its shards re-activate over those that remain by the same rule.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ShardSpreadPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static ShardSpreadPlacement Singleton { get; } = new();
}

/// <summary>Marks a grain keyed <c>{index}/{shard}</c> for <see cref="ShardSpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardSpreadPlacementAttribute() : PlacementAttribute(ShardSpreadPlacement.Singleton);

/// <summary>The director of <see cref="ShardSpreadPlacement"/>.</summary>
internal sealed class ShardSpreadPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"no silo can host {target.GrainIdentity}");
        }
        Array.Sort(silos, (a, b) => string.CompareOrdinal(a.ToParsableString(), b.ToParsableString()));
        return Task.FromResult(silos[Slot(target.GrainIdentity.Key.ToString(), silos.Length)]);
    }

    /// <summary>The position, among <paramref name="silos"/> silos, of the shard keyed <paramref name="key"/>.</summary>
    internal static int Slot(string key, int silos)
    {
        int slash = key.LastIndexOf('/');
        string index = slash < 0 ? key : key[..slash];
        int shard = slash >= 0 && int.TryParse(key.AsSpan(slash + 1), out int s) ? s : 0;
        ulong start = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(index));
        return (int)((start + (ulong)shard) % (ulong)silos);
    }
}
