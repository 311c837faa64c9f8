using System.IO.Hashing;
using System.Text;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Vectord.Grains.Shards;

/// <summary>
/// Places the shards of an index round-robin over the silos that can host them: copy <c>r</c> of shard <c>s</c> of
/// index <c>name</c> (the shard grain is copy 0, its replicas 1, 2, …) goes to silo <c>(hash(name) + s + r) mod n</c>
/// of the compatible silos in address order. The shards of one index are thus spread as evenly as the silos allow
/// (never all on one silo while there are two), which placement by activation count, deciding from statistics a few
/// seconds old, cannot promise when the shards are created together. The copies of one shard are placed on distinct
/// silos: a copy that activates (after its silo died, say) skips the silos where the shard's other copies are active,
/// while there are silos enough.
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
internal sealed class ShardSpreadPlacementDirector(Diagnostics.ISiloStatsServiceClient silosServices) : IPlacementDirector
{
    /// <inheritdoc/>
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"no silo can host {target.GrainIdentity}");
        }
        Array.Sort(silos, (a, b) => string.CompareOrdinal(a.ToParsableString(), b.ToParsableString()));
        var key = target.GrainIdentity.Key.ToString()!;
        var slot = Slot(key, silos.Length);
        var taken = silos.Length > 1 ? await SiblingSilosAsync(key, silos) : [];
        for (var i = 0; i < silos.Length; i++)
        {
            var silo = silos[(slot + i) % silos.Length];
            if (!taken.Contains(silo)) { return silo; }
        }
        return silos[slot];
    }

    /// <summary>Which of <paramref name="silos"/> hold another copy of the shard keyed <paramref name="key"/> active, as
    /// each silo says (a silo that does not answer within a second is taken as holding none).</summary>
    private async Task<HashSet<SiloAddress>> SiblingSilosAsync(string key, SiloAddress[] silos)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        var others = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var mask = await silosServices.ServiceOf(silo).CopiesOfAsync(index, shard).WaitAsync(TimeSpan.FromSeconds(1));
                return (mask & ~(1 << replica)) != 0 ? silo : null;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return null;   // placed by the rule alone
            }
        }));
        return [.. others.OfType<SiloAddress>()];
    }

    /// <summary>The position, among <paramref name="silos"/> silos, of the copy keyed <paramref name="key"/>.</summary>
    internal static int Slot(string key, int silos)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        ulong start = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(index));
        return (int)((start + (ulong)shard + (ulong)replica) % (ulong)silos);
    }
}
