using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Grains.Persistence;
using Vectord.Grains.Storage;

namespace Vectord.Grains.Shards;

/// <summary>How a copy of a shard, its primary or a replica, loads the shard's part from storage: the checkpoint
/// document beside the shard's log, the snapshot it names, then the log after it.</summary>
/// <param name="store">The index data.</param>
/// <param name="options">The storage options (snapshot policy, part capacity).</param>
/// <param name="cache">Where the vectors of an on_disk index are kept on this node.</param>
internal sealed class ShardPartLoader(IIndexBlobStore store, VectordStorageOptions options, VectorCache cache)
{
    /// <summary>The part of the shard <paramref name="context"/> names, as storage holds it now.</summary>
    public async Task<IndexPart> LoadAsync(ShardContext context)
    {
        var location = new PartLocation(context.Index, context.Generation, context.Shard);
        var checkpoint = await DocumentCheckpoint.ReadAsync(store, location.Checkpoint, location.ToString());
        var (index, log) = await PartLog.RecoverAsync(store, location, checkpoint, options.SnapshotPolicy, IndexRules.ToOptions(context.Spec),
            cache.NewFile(location, context.Spec.OnDisk));
        return new IndexPart(index, log, options.PartCapacity);
    }

    /// <summary>The operations of the shard's part held by <paramref name="host"/>, loaded with <see cref="LoadAsync"/>
    /// and then given to <paramref name="loaded"/>.</summary>
    public PartCalls Calls(PartHost host, ShardContext context, string silo, Diagnostics.IndexMetrics metrics, Action<IndexPart>? loaded = null) =>
        new(host, async () =>
        {
            var part = await LoadAsync(context);
            loaded?.Invoke(part);
            return part;
        }, IndexRules.ToOptions(context.Spec), context.Shard, silo, metrics);
}
