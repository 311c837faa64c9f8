using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Storage.Log;
using Vectord.Storage;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

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
        return new IndexPart(index, log, options.PartCapacity, context.Spec.Revision);
    }

    /// <summary>
    /// The part as <see cref="LoadAsync"/> reads it, for a replica: its primary may be writing a snapshot meanwhile,
    /// and delete the snapshot and records the new one covers between the replica's reading of the checkpoint and of
    /// what it names, which then look missing. The load is tried again, from the checkpoint, a few times before the
    /// part is taken for corrupt.
    /// </summary>
    public async Task<IndexPart> LoadFollowingAsync(ShardContext context)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await LoadAsync(context);
            }
            catch (IndexCorruptException) when (attempt < FollowingAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    /// <summary>Loads a replica tries before it takes its part for corrupt.</summary>
    public const int FollowingAttempts = 5;

    /// <summary>The operations of the shard's part held by <paramref name="host"/>, loaded with <see cref="LoadAsync"/>
    /// (<see cref="LoadFollowingAsync"/> when <paramref name="following"/>) unless <paramref name="takeOver"/> gives it (a
    /// primary taking over a replica's part), and then given to <paramref name="loaded"/>.</summary>
    public PartCalls Calls(PartHost host, ShardContext context, string silo, Diagnostics.IndexMetrics metrics, bool following,
        Action<IndexPart>? loaded = null, Func<Task<IndexPart?>>? takeOver = null) =>
        new(host, async () =>
        {
            var part = takeOver is null ? null : await takeOver();
            var takenOver = part is not null;
            part ??= following ? await LoadFollowingAsync(context) : await LoadAsync(context);
            if (!following) { metrics.PrimaryLoaded(promoted: takenOver); }
            loaded?.Invoke(part);
            return part;
        }, IndexRules.ToOptions(context.Spec), context.Spec.Revision, context.Shard, silo, metrics);
}
