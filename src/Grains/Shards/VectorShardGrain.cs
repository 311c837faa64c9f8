using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Storage.Log;
using Vectord.Grains.Replicas;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Shards;

/// <summary>
/// One part of a sharded index (see <see cref="IVectorShardGrain"/>). Its checkpoint is a document beside its log, so
/// it recovers from storage alone on whichever silo it activates. Placed by <see cref="ShardSpreadPlacement"/>, so the
/// shards of an index spread over the silos. In a replicated index it is the part's primary: it passes each record it
/// writes to the part's replicas (<see cref="ReplicaFeed"/>) and answers a write once they hold the one before; it
/// activates where a replica holds the part loaded when there is such a silo, and takes that part over instead of
/// loading it (<see cref="ReplicaPromotion"/>); leaving a silo that shuts down, it has an in-sync replica activate it again at once.
/// </summary>
[ShardSpreadPlacement]
public sealed class VectorShardGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
    IOptions<VectordStorageOptions> options,
    IOptions<ReplicationOptions> replication,
    LocalParts localParts,
    IndexMetrics metrics,
    VectorCache vectorCache,
    CopyRegistry copies,
    ILogger<VectorShardGrain> logger) : Grain, IVectorShardGrain
{
    private readonly VectordStorageOptions _options = options.Value;
    private PartHost _host = null!;
    private PartCalls? _calls;
    private ShardContext? _context;
    private ReplicaFeed? _feed;
    private readonly Dictionary<string, Task<long?>> _saving = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        copies.Activated(this.GetPrimaryKeyString());
        _host = new PartHost(logger, metrics, DeactivateOnIdle, part =>
        {
            if (_context is not { } c) { return; }
            localParts.Set(c.Index, c.Generation, c.Shard, part);
            metrics.Holding(c.Index, c.Shard, part);
        }, vectorCache);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_feed is { } feed) { await feed.SettleAsync(feed.Seq, everyone: true); }   // the replicas hold every write, to take over
        await (_options.SnapshotOnDeactivate ? _host.SnapshotOnDeactivateAsync() : _host.SettleAsync());
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && _context is { } leaving) { _feed?.HandOff(leaving); }
        _feed?.Stop();
        _host.Reset();
        if (_context is { } context) { metrics.ForgetReplicas(context.Index, context.Shard); }
        copies.Deactivated(this.GetPrimaryKeyString());
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<PartWrite> AddAsync(ShardContext context, IndexItem[] items) =>
        FollowedAsync(Calls(context).AddAsync(Array.ConvertAll(items, ItemRules.FromChecked)));

    /// <inheritdoc/>
    public Task<PartWrite> DeleteAsync(ShardContext context, string[] ids) => FollowedAsync(Calls(context).DeleteAsync(ids));

    /// <inheritdoc/>
    public Task<IndexItem?> GetItemAsync(ShardContext context, string id) => Calls(context).GetItemAsync(id);

    /// <inheritdoc/>
    public Task<SearchHit[][]> SearchAsync(ShardContext context, SearchQuery[] queries, CancellationToken cancellationToken = default) =>
        Calls(context).SearchAsync(queries, cancellationToken);

    /// <inheritdoc/>
    public Task<ItemPage> QueryItemsAsync(ShardContext context, ItemQuery query, CancellationToken cancellationToken = default) =>
        Calls(context).QueryItemsAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountAsync(ShardContext context, ItemFilter filter, CancellationToken cancellationToken = default) =>
        Calls(context).CountAsync(filter, cancellationToken);

    /// <inheritdoc/>
    public Task<PartWrite> DeleteWhereAsync(ShardContext context, ItemFilter filter) =>
        FollowedAsync(Calls(context).DeleteWhereAsync(filter, CancellationToken.None));

    /// <inheritdoc/>
    public Task<MergePage> ExportPageAsync(ShardContext context, string? after, int limit) => Calls(context).ExportPageAsync(after, limit);

    /// <inheritdoc/>
    public Task<MergeAddOutcome> AddIfAbsentAsync(ShardContext context, IndexItem[] items) => FollowedAsync(Calls(context).AddIfAbsentAsync(items));

    /// <inheritdoc/>
    public Task<PartWrite> RemoveIfUnchangedAsync(ShardContext context, string[] ids, ulong[] fingerprints) =>
        FollowedAsync(Calls(context).RemoveIfUnchangedAsync(ids, fingerprints));

    /// <inheritdoc/>
    public async Task<ShardInfo> GetInfoAsync(ShardContext context)
    {
        var info = await Calls(context).GetInfoAsync();
        return info with { Role = CopyRole.Primary };
    }

    /// <inheritdoc/>
    public async Task<int> FreezeAsync(ShardContext context, string staged)
    {
        var image = await Calls(context).FreezeImageAsync();
        _saving[staged] = store.TryCreateAsync(staged, image.Save);   // on a thread of its own, beside later writes
        return image.Count;
    }

    /// <inheritdoc/>
    public async Task SavedAsync(string staged)
    {
        if (!_saving.Remove(staged, out var saving))
        {
            throw new StorageUnavailableException($"{staged} is not being saved here (the shard moved); retry the snapshot");
        }
        if (await saving is null) { throw new StorageUnavailableException($"{staged} exists already"); }
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync()
    {
        await _host.SettleAsync();   // no snapshot of the dropped index lands after this
        _host.Reset();
        if (_context is { } context) { metrics.ForgetReplicas(context.Index, context.Shard); }
        _calls = null;
        _context = null;
        _feed?.Stop();
        _feed = null;
        DeactivateOnIdle();
    }

    /// <summary>The shard's operations for the index incarnation <paramref name="context"/> names; a new incarnation
    /// (the index was dropped and created again) starts from its own storage, and a later revision of the same one's
    /// spec (text fields added) goes on with the part held, which the next call brings up to it.</summary>
    private PartCalls Calls(ShardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _host.ThrowIfStale();
        if (_calls is not null && string.Equals(_context?.Generation, context.Generation, StringComparison.Ordinal))
        {
            return context.Spec.Revision <= _calls.Revision ? _calls : _calls = NewCalls(_context = context);
        }
        _host.Reset();
        _context = context;
        var copyCount = Math.Max(1, context.Spec.Replicas);
        _feed?.Stop();
        _feed = copyCount > 1 ? new ReplicaFeed(GrainFactory, context, copyCount, replication.Value.FollowerWait, metrics, logger) : null;
        return _calls = NewCalls(context);
    }

    private PartCalls NewCalls(ShardContext context)
    {
        var promotion = new ReplicaPromotion(GrainFactory, copies, store, _options, vectorCache, logger);
        return new ShardPartLoader(store, _options, vectorCache).Calls(_host, context, GrainContext.Address.SiloAddress?.Endpoint.ToString() ?? "", metrics,
            following: false, part => part.Applied = _feed is { } feed ? feed.Published : null,
            takeOver: context.Spec.Replicas > 1 ? () => promotion.TryTakeOverAsync(context) : null);
    }

    /// <summary>Answers a write once the replicas hold every write before it (see <see cref="ReplicaFeed"/>).</summary>
    private async Task<T> FollowedAsync<T>(Task<T> write)
    {
        var result = await write;
        if (_feed is { } feed) { await feed.SettleAsync(feed.Seq - 1); }
        return result;
    }
}
