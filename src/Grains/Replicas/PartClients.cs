using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Grains.Shards;
using Vectord.Storage.Items;

namespace Vectord.Grains.Replicas;

/// <summary>The clients of the parts of an index held by shard grains: a shard grain each, or with replicas, each
/// shard's copies (<see cref="ReplicatedShard"/>).</summary>
internal static class PartClients
{
    /// <summary>Part i's client, for i from 0 to the index's shard count − 1.</summary>
    public static IPartClient[] Of(IGrainFactory grains, string name, IndexTopology topology, CopyReadOptions reads)
    {
        var spec = topology.Spec;
        var replicas = IndexRules.ReplicaCount(spec);
        return [.. Enumerable.Range(0, IndexRules.ShardCount(spec)).Select(s =>
        {
            var context = new ShardContext(name, topology.Generation, spec, s);
            return replicas > 1
                ? (IPartClient)new ReplicatedShard(grains, context, replicas, reads)
                : new RemoteShard(grains.GetGrain<IVectorShardGrain>(ShardContext.Key(name, s)), context);
        })];
    }

    /// <summary>Has every copy of every part of a dropped index let its part go (see <see cref="IVectorShardGrain.ReleaseAsync"/>).</summary>
    public static Task ReleaseAsync(IGrainFactory grains, string name, IndexSpec spec) =>
        Task.WhenAll(Enumerable.Range(0, IndexRules.ShardCount(spec)).SelectMany(s => Enumerable.Range(0, IndexRules.ReplicaCount(spec)).Select(r => r == 0
            ? grains.GetGrain<IVectorShardGrain>(ShardContext.Key(name, s)).ReleaseAsync()
            : grains.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(name, s, r)).ReleaseAsync())));
}

/// <summary>An index's parameters and incarnation: what it takes to reach its parts. Two are equal when they name the
/// same incarnation at the same revision of its spec (the only way its parameters change, see
/// <see cref="IndexSpec.Revision"/>), whatever arrays the spec was read into.</summary>
/// <param name="Spec">Effective parameters.</param>
/// <param name="Generation">The incarnation its storage belongs to.</param>
internal sealed record IndexTopology(IndexSpec Spec, string Generation)
{
    /// <inheritdoc/>
    public bool Equals(IndexTopology? other) =>
        other is not null && string.Equals(Generation, other.Generation, StringComparison.Ordinal) && Spec.Revision == other.Spec.Revision;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Generation, Spec.Revision);
}
