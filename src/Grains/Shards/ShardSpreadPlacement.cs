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
/// while there are silos enough. A primary that activates where a replica of its shard holds the part loaded takes the
/// replica's part over (<see cref="Replicas.ReplicaPromotion"/>), so it goes to such a silo when there is one.
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
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        var slot = Slot(key, silos.Length);
        var held = silos.Length > 1 ? await CopiesAsync(index, shard, silos) : [];
        var order = Enumerable.Range(0, silos.Length).Select(i => silos[(slot + i) % silos.Length]).ToArray();
        if (replica == 0 && order.FirstOrDefault(s => held.GetValueOrDefault(s) is { Ready: not 0 }) is { } promotable)
        {
            return promotable;   // the primary takes over a loaded replica's part there instead of loading it
        }
        // Silos known to hold no other copy first, then those that did not say, then the rest.
        var others = ~(1 << replica);
        return order.FirstOrDefault(s => held.TryGetValue(s, out var h) && h is { } known && (known.Active & others) == 0)
            ?? order.FirstOrDefault(s => held.GetValueOrDefault(s) is null)
            ?? silos[slot];
    }

    /// <summary>How long placement waits for a silo to say which copies it holds: a copy is placed only when it
    /// activates, so a busy silo is given time rather than taken as holding none.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(3);

    /// <summary>The copies of the shard each of <paramref name="silos"/> holds active, as each silo says (null: the
    /// silo did not answer within <see cref="AnswerWait"/>).</summary>
    private async Task<Dictionary<SiloAddress, CopiesHere?>> CopiesAsync(string index, int shard, SiloAddress[] silos)
    {
        var held = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                return (Silo: silo, Copies: (CopiesHere?)await silosServices.ServiceOf(silo).CopiesOfAsync(index, shard).WaitAsync(AnswerWait));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return (Silo: silo, Copies: null);
            }
        }));
        return held.ToDictionary(h => h.Silo, h => h.Copies);
    }

    /// <summary>The position, among <paramref name="silos"/> silos, of the copy keyed <paramref name="key"/>.</summary>
    internal static int Slot(string key, int silos)
    {
        var (index, shard, replica) = Replicas.CopyKeys.Parse(key);
        ulong start = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(index));
        return (int)((start + (ulong)shard + (ulong)replica) % (ulong)silos);
    }
}
