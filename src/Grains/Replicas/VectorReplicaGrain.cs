using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Storage.Log;
using Vectord.Grains.Shards;
using Vectord.Storage;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Replicas;

/// <summary>
/// A replica of one part of a replicated index (see <see cref="IVectorReplicaGrain"/>). It loads in the background
/// (the first call of any kind starts it) and refuses reads until loaded; it follows the records its primary passes
/// it, and catches up from storage when one is missing, or loads anew when a snapshot has covered the missing ones.
/// Placed by <see cref="ShardSpreadPlacement"/>, on another silo than the part's other copies. When the primary
/// activates on its silo (its own silo died or shut down), it hands its part over (<see cref="ReplicaPromotion"/>) and
/// is placed anew elsewhere.
/// </summary>
[ShardSpreadPlacement]
internal sealed partial class VectorReplicaGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
    IOptions<VectordStorageOptions> options,
    IndexMetrics metrics,
    VectorCache vectorCache,
    CopyRegistry copies,
    ILogger<VectorReplicaGrain> logger) : Grain, IVectorReplicaGrain
{
    private readonly VectordStorageOptions _options = options.Value;
    private PartHost _host = null!;
    private PartCalls? _calls;
    private ShardContext? _context;
    private long _primarySeq;
    private bool _catchingUp;
    private bool _leaving;

    private int Replica => CopyKeys.Parse(this.GetPrimaryKeyString()).Replica;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        copies.Activated(key);
        _host = new PartHost(logger, metrics, DeactivateOnIdle, part => copies.Ready(key, part is not null), vectorCache);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _host.SettleAsync();   // never a snapshot: the primary writes them
        _host.Reset();
        copies.Deactivated(this.GetPrimaryKeyString());
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<long> FollowAsync(ShardContext context, LogEntry[] records, long primarySeq)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (_leaving) { return -1; }   // the next call reaches it on another silo
        var calls = Calls(context);
        _primarySeq = Math.Max(_primarySeq, primarySeq);
        if (_host.Loaded is not { } part)
        {
            StartLoading(calls);
            return -1;
        }
        try
        {
            foreach (var entry in records)
            {
                var record = WalRecord.Decode(entry.Bytes, entry.Seq);
                var links = entry.Links is { } given ? Hnsw.LinkChanges.FromBytes(given) : null;
                if (await part.FollowAsync(record, entry.Bytes.Length, links)) { continue; }
                // A record was missed (a call that failed, records the primary no longer kept): read the rest from
                // storage, where the primary wrote them before passing them on.
                _catchingUp = true;
                if (!await part.TryCatchUpAsync(entry.Seq - 1) || !await part.FollowAsync(record, entry.Bytes.Length, links))
                {
                    Reload();
                    return -1;
                }
            }
            if (part.Log.Seq < _primarySeq)
            {
                _catchingUp = true;
                if (!await part.TryCatchUpAsync(_primarySeq)) { Reload(); return -1; }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IndexCorruptException || part.IsStale)
        {
            Reload();   // what it holds may no longer match the log: it loads anew
            return -1;
        }
        finally
        {
            _catchingUp = false;
        }
        return part.Log.Seq;
    }

    /// <inheritdoc/>
    public Task<IndexItem?> GetItemAsync(ShardContext context, string id) => Ready(context).GetItemAsync(id);

    /// <inheritdoc/>
    public Task<SearchHit[][]> SearchAsync(ShardContext context, SearchQuery[] queries, CancellationToken cancellationToken = default) =>
        Ready(context).SearchAsync(queries, cancellationToken);

    /// <inheritdoc/>
    public Task<ItemPage> QueryItemsAsync(ShardContext context, ItemQuery query, CancellationToken cancellationToken = default) =>
        Ready(context).QueryItemsAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountAsync(ShardContext context, ItemFilter filter, CancellationToken cancellationToken = default) =>
        Ready(context).CountAsync(filter, cancellationToken);

    /// <inheritdoc/>
    public async Task<ShardInfo> GetInfoAsync(ShardContext context)
    {
        var silo = GrainContext.Address.SiloAddress?.Endpoint.ToString();
        var calls = _leaving ? null : Calls(context);
        if (calls is null || _host.Loaded is null || _catchingUp)
        {
            if (calls is not null) { StartLoading(calls); }
            return new ShardInfo(context.Shard, 0, silo, 0, Replica, CopyRole.Replica, 0, _primarySeq, Ready: false);
        }
        var info = await calls.GetInfoAsync();
        return info with { Replica = Replica, Role = CopyRole.Replica, Lag = Math.Max(0, _primarySeq - info.LogPosition) };
    }

    /// <inheritdoc/>
    public Task<bool> HandOverAsync(ShardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handing = !_catchingUp && string.Equals(_context?.Generation, context.Generation, StringComparison.Ordinal) && _host.Loaded is not null;
        if (handing) { copies.HandOver(context, _host.Detach()!); }
        else { _host.Reset(); }
        // Either way it leaves: the primary is on this silo now. It migrates, so that placement puts it on another
        // silo and the callers' caches follow it there (a plain deactivation would let the next call, sent here by a
        // cached address, activate it on this silo again). Until it has left it answers nothing and loads nothing.
        _leaving = true;
        _calls = null;
        _context = null;
        MigrateOnIdle();
        return Task.FromResult(handing);
    }

    /// <inheritdoc/>
    public Task PrimaryLeavingAsync(ShardContext context)
    {
        _ = WakePrimaryAsync(context);   // not awaited here: the primary's activation calls this replica back
        return Task.CompletedTask;
    }

    private async Task WakePrimaryAsync(ShardContext context)
    {
        var primary = GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await primary.GetInfoAsync(context);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Sent while its old silo was still stopping, say: tried again, then left to the next write.
                if (attempt == 3) { LogPrimaryNotWoken(context.Index, context.Shard, e.Message); return; }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
        }
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync()
    {
        await _host.SettleAsync();
        _host.Reset();
        _calls = null;
        _context = null;
        DeactivateOnIdle();
    }

    /// <summary>The replica's reads, once it is loaded, not catching up, and at most one record behind the last the
    /// primary told it of (a replica that has just loaded takes the records written meanwhile with the next call).</summary>
    /// <exception cref="CopyNotReadyException">It is loading or catching up (a load is started if none is).</exception>
    private PartCalls Ready(ShardContext context)
    {
        var calls = Calls(context);
        if (_host.Loaded is not { } part || _catchingUp || part.Log.Seq < _primarySeq - 1)
        {
            StartLoading(calls);
            throw new CopyNotReadyException($"replica {Replica} of {ShardContext.Key(context.Index, context.Shard)} is loading; another copy answers");
        }
        return calls;
    }

    private static void StartLoading(PartCalls calls) => _ = calls.LoadAsync();

    /// <summary>Forgets the part so the next call loads it anew from storage.</summary>
    private void Reload()
    {
        _host.Reset();
        if (_calls is { } calls) { StartLoading(calls); }
    }

    /// <summary>The replica's operations for the index incarnation <paramref name="context"/> names.</summary>
    /// <exception cref="CopyNotReadyException">It handed its part over and is leaving this silo.</exception>
    private PartCalls Calls(ShardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_leaving)
        {
            throw new CopyNotReadyException($"replica {Replica} of {ShardContext.Key(context.Index, context.Shard)} is moving to another silo; another copy answers");
        }
        if (_calls is not null && string.Equals(_context?.Generation, context.Generation, StringComparison.Ordinal))
        {
            // A later revision of the spec (text fields added) goes on with the part held; the next read brings it up.
            return context.Spec.Revision <= _calls.Revision ? _calls : _calls = NewCalls(_context = context);
        }
        _host.Reset();
        _context = context;
        _primarySeq = 0;
        return _calls = NewCalls(context);
    }

    private PartCalls NewCalls(ShardContext context) =>
        new ShardPartLoader(store, _options, vectorCache).Calls(_host, context, GrainContext.Address.SiloAddress?.Endpoint.ToString() ?? "", metrics,
            following: true);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Index}/{Shard}: the primary leaving its silo was not activated again at once ({Reason}); the next write activates it")]
    private partial void LogPrimaryNotWoken(string index, int shard, string reason);
}
