using Microsoft.Extensions.Logging;
using Vectord.Grains.Hosting;
using Vectord.Storage.Log;
using Vectord.Grains.Shards;
using Vectord.Storage;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Replicas;

/// <summary>
/// How a primary that activates takes over the part a replica of its shard holds loaded on the same silo, instead of
/// loading it from storage (placement sends a primary to such a silo when there is one, see
/// <see cref="ShardSpreadPlacement"/>): after its silo died, or after it left a silo shut down gracefully. The replica
/// hands its part over and deactivates (it is placed anew on another silo by the next record passed to it); the
/// primary continues the log from the last record the replica applied, applying first what storage holds beyond it.
/// A replica that handed over nothing, or whose missing records a snapshot has since covered, leaves the load to
/// storage.
/// </summary>
internal sealed partial class ReplicaPromotion(
    IGrainFactory grains, CopyRegistry copies, IIndexBlobStore store, VectordStorageOptions options, VectorCache cache, ILogger logger)
{
    /// <summary>The part of the shard <paramref name="context"/> names, taken over from a replica on this silo and
    /// brought up to the log's end; null when there is none to take over.</summary>
    public async Task<IndexPart?> TryTakeOverAsync(ShardContext context)
    {
        var ready = copies.CopiesOf(context.Index, context.Shard).Ready;
        for (var replica = 1; ready >> replica != 0; replica++)
        {
            if ((ready & (1 << replica)) == 0) { continue; }
            if (!await HandOverAsync(context, replica) || copies.TakeHandedOver(context) is not { } part) { continue; }
            var from = part.Log.Seq;
            var location = new PartLocation(context.Index, context.Generation, context.Shard);
            PartLog? log = null;
            try
            {
                var checkpoint = await DocumentCheckpoint.ReadAsync(store, location.Checkpoint, location.ToString());
                log = await PartLog.TryContinueAsync(store, location, checkpoint, options.SnapshotPolicy, part.Index, from);
            }
            finally
            {
                if (log is null) { cache.Delete(part.Index.VectorFile); }
            }
            if (log is null)
            {
                LogNotTakenOver(location, replica, from);
                return null;
            }
            LogTakenOver(location, replica, from, log.Seq);
            return new IndexPart(part.Index, log, options.PartCapacity, part.Revision);
        }
        return null;
    }

    /// <summary>Asks replica <paramref name="replica"/> to hand its part over here; false when it did not (it held none
    /// loaded, or the call failed: the primary then loads from storage).</summary>
    private async Task<bool> HandOverAsync(ShardContext context, int replica)
    {
        try
        {
            return await grains.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, replica)).HandOverAsync(context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogHandOverFailed(context.Index, context.Shard, replica, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Index}/{Shard}: replica {Replica} did not hand its part over ({Reason}); the primary loads from storage")]
    private partial void LogHandOverFailed(string index, int shard, int replica, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Part}: primary took over replica {Replica}'s part at record {From}, log up to {Seq}")]
    private partial void LogTakenOver(PartLocation part, int replica, long from, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Part}: replica {Replica}'s part (record {From}) lacks records a snapshot covered since; the primary loads from storage")]
    private partial void LogNotTakenOver(PartLocation part, int replica, long from);
}
