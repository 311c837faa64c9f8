using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Merge;
using Vectord.Grains.Parts;
using Vectord.Storage.Log;
using Vectord.Grains.Replicas;
using Vectord.Grains.Shards;
using Vectord.Grains.Snapshots;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains;

/// <summary>
/// One index, keyed by its name: the checking of every request, the routing of items to its parts, and the order of
/// its lifecycle's changes (create, restore, text fields, drop: <see cref="IndexLifecycle"/>). An unsharded index holds
/// its one part itself (<see cref="UnshardedPart"/>), with no extra hop; a sharded one spreads items over shard grains
/// by <see cref="ShardRouting"/>, writes the shards of a batch in parallel, and fans reads out to every shard and
/// merges their answers. The durability protocol of each part is <see cref="PartLog"/>.
/// Placed by activation count, so the indexes of a cluster spread over its silos rather than following the caller.
/// </summary>
[ActivationCountBasedPlacement]
public sealed class VectorIndexGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage grainStorage,
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
    IOptions<VectordStorageOptions> options,
    IOptions<FilterOptions> filterOptions,
    IOptions<ReplicationOptions> replication,
    LocalParts localParts,
    IndexMetrics metrics,
    VectorCache vectorCache,
    ILogger<VectorIndexGrain> logger) : Grain, IVectorIndexGrain, IVectorIndexMergeGrain, IVectorIndexRestoreGrain
{
    private readonly VectordStorageOptions _options = options.Value;
    private readonly TimeSpan _filterTime = filterOptions.Value.MaxEvaluationTime;
    private readonly WriteGate _writes = new();
    private readonly CopyReadOptions _copyReads = new(replication.Value.HedgeAfter, replication.Value.ReadLimit);
    private DeferredGrainState<IndexManifest> _manifest = null!;
    private UnshardedPart _own = null!;
    private IndexParts? _parts;
    private readonly MergeQueue _merges = new();
    private Task _lifecycleChange = Task.CompletedTask;
    private HnswOptions? _engine;

    private string Name => this.GetPrimaryKeyString();

    private IndexSpec Spec => _manifest.State.Spec ?? throw new IndexNotFoundException("index not found");

    private IndexLifecycle Lifecycle => new(Name, _manifest, GrainFactory, store, _options.PartCapacity, () => _own.Host.MarkStale(), logger);

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The manifest is read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        _manifest = new DeferredGrainState<IndexManifest>(grainStorage, "manifest", this.GetGrainId());
        // The one part of an unsharded index is held here; the silo's metrics report it as shard 0.
        _own = new UnshardedPart(new PartHost(logger, metrics, DeactivateOnIdle, part => metrics.Holding(Name, 0, part), vectorCache),
            _manifest, Name, store, _options, vectorCache);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await (_options.SnapshotOnDeactivate ? _own.Host.SnapshotOnDeactivateAsync() : _own.Host.SettleAsync());
        _own.Host.Reset();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> CreateAsync(IndexSpec spec)
    {
        await ChangeLifecycleAsync(async () =>
        {
            var effective = await Lifecycle.CreateAsync(spec);
            _own.Host.Reset();
            if (!IndexRules.UsesShardGrains(effective)) { _own.Start(effective); }
        }, keepLocal: true);
        return Info(0);
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> RestoreAsync(string upload, int shards)
    {
        await ChangeLifecycleAsync(() => Lifecycle.RestoreAsync(upload, shards));
        try
        {
            return Info((await PartsAsync()).Length);   // every part loads now: one that does not is refused here
        }
        catch (IndexCorruptException e)
        {
            await DropAsync();
            throw new InvalidIndexArgumentException($"snapshot: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> GetInfoAsync()
    {
        var parts = await PartsAsync();
        var shards = await parts.ShardsAsync();
        return Info(parts.Length) with { Quarantined = shards.Sum(s => s.Quarantined) };
    }

    /// <inheritdoc/>
    public async Task<ShardInfo[]> GetShardsAsync() => await (await PartsAsync()).CopiesAsync();

    /// <inheritdoc/>
    public Task<IndexInfo> AddTextFieldsAsync(IndexTextField[] fields) => _writes.WriteAsync(async () =>
    {
        // The part this grain holds stays, and is brought up to the new spec like every copy of every part: each
        // indexes the fields when called with it, which is now, not at its next read. A snapshot of that part in
        // flight lands first, before reads wait: it moves the manifest's checkpoint, and no write starts another.
        await _own.Host.SettleAsync();
        await ChangeLifecycleAsync(() => Lifecycle.AddTextFieldsAsync(fields), keepLocal: true);
        var parts = await PartsAsync();
        await parts.CopiesAsync();
        return Info(parts.Length);
    });

    /// <inheritdoc/>
    public async Task DropAsync()
    {
        await ChangeLifecycleAsync(Lifecycle.DropAsync);
        DeactivateOnIdle();
    }

    /// <inheritdoc/>
    public async Task<SnapshotInfo> CreateSnapshotAsync()
    {
        var parts = await PartsAsync();
        var spec = Spec;
        var created = DateTimeOffset.UtcNow;
        var snapshot = SnapshotNames.New(Name, created);
        // Writes wait only while the parts copy themselves; the file is written from the copies as they go on.
        var frozen = await _writes.HoldAsync(() => parts.FreezeAsync(s => SnapshotStore.StagedPart(Name, snapshot, s)));
        return await new SnapshotStore(store).WriteAsync(Name, snapshot, spec, created, frozen);
    }

    /// <summary>Runs a change of the index's manifest (<see cref="IndexLifecycle"/>), after which the parts are resolved
    /// anew; reads that interleave (they may, see the interface) wait for it to finish rather than see a manifest or
    /// parts half changed. Once it succeeded the part this grain holds is let go, unless <paramref name="keepLocal"/>
    /// (a create starts its own; new text fields keep it); a change refused leaves everything as it was.</summary>
    private async Task ChangeLifecycleAsync(Func<Task> change, bool keepLocal = false)
    {
        var done = new TaskCompletionSource();
        _lifecycleChange = done.Task;
        try
        {
            CheckUsable();
            await _own.Host.SettleAsync();   // a snapshot in progress moves the manifest's checkpoint when it lands
            await change();
            if (!keepLocal) { _own.Host.Reset(); }
            _parts = null;
            _engine = null;
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <inheritdoc/>
    public Task<AddResult> AddAsync(IndexItem[] items) => _writes.WriteAsync(async () =>
    {
        var parts = await PartsAsync();
        return await parts.AddAsync(ItemRules.CheckBatch(items, Engine));   // the whole batch, before any part is written
    });

    /// <inheritdoc/>
    public Task<DeleteResult> DeleteAsync(string[] ids) => _writes.WriteAsync(async () =>
    {
        var parts = await PartsAsync();
        if (ids is null || ids.Length == 0) { throw new InvalidIndexArgumentException("ids must be non-empty"); }
        ItemLimits.ThrowIfTooMany("ids", ids.Length);
        return await parts.DeleteAsync(ids);
    });

    /// <inheritdoc/>
    public async Task<IndexItem?> GetItemAsync(string id)
    {
        var parts = await PartsAsync();
        return id is null ? null : await parts.GetItemAsync(id);
    }

    /// <inheritdoc/>
    public Task<SearchHit[]> SearchAsync(float[] vector, int k = IndexLimits.DefaultK, int? ef = null) =>
        SearchAsync(new SearchQuery(vector, k, ef));

    /// <inheritdoc/>
    public async Task<SearchHit[]> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var parts = await PartsAsync();
        return (await SearchRun.RunAsync(parts, [ItemRules.CheckSearch(query, Engine, at: null)], _filterTime, metrics, cancellationToken))[0];
    }

    /// <inheritdoc/>
    public async Task<SearchHit[][]> SearchBatchAsync(SearchQuery[] queries, CancellationToken cancellationToken = default)
    {
        var parts = await PartsAsync();
        return await SearchRun.RunAsync(parts, SearchRun.Check(queries, Engine, lone: false), _filterTime, metrics, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ItemPage> ListItemsAsync(string? after = null, int limit = 100, bool includeVectors = false) =>
        QueryItemsAsync(new ItemQuery(null, limit, after, includeVectors));

    /// <inheritdoc/>
    public async Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken = default)
    {
        var parts = await PartsAsync();
        ArgumentNullException.ThrowIfNull(query);
        TextRules.CheckFilter(query.Filter, Engine);
        var page = OrderRules.Check(query);
        return await FilterTimeLimit.RunAsync(_filterTime, token => parts.QueryAsync(page, token), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> CountAsync(ItemFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var parts = await PartsAsync();
        TextRules.CheckFilter(filter, Engine);
        return filter is null ? parts.Length : await FilterTimeLimit.RunAsync(_filterTime, token => parts.CountAsync(filter, token), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DeleteResult> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken = default) => _writes.WriteAsync(async () =>
    {
        var parts = await PartsAsync();
        if (filter is null) { throw new InvalidIndexArgumentException("filter must be set"); }
        TextRules.CheckFilter(filter, Engine);
        return await FilterTimeLimit.RunAsync(_filterTime, token => parts.DeleteWhereAsync(filter, token), cancellationToken);
    });

    /// <inheritdoc/>
    public Task<MergeResult> MergeIntoAsync(string destination, bool clearSource)
    {
        // Runs interleaved with everything: it only calls this index and the destination through ordinary turns.
        IndexNames.ThrowIfInvalid(Name);
        return _merges.RunAsync(() => MergeRun.RunAsync(GrainFactory, Name, destination, clearSource));
    }

    /// <inheritdoc/>
    public async Task<MergePage> ExportPageAsync(string? after, int limit) =>
        await (await PartsAsync()).ExportAsync(after, Math.Clamp(limit, 1, IndexLimits.MaxPage));

    /// <inheritdoc/>
    public Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items) =>
        _writes.WriteAsync(async () => await (await PartsAsync()).AddIfAbsentAsync(items ?? []));

    /// <inheritdoc/>
    public Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints) =>
        _writes.WriteAsync(async () => await (await PartsAsync()).RemoveIfUnchangedAsync(ids, fingerprints));

    /// <summary>The engine options of the index, known once <see cref="PartsAsync"/> has run.</summary>
    private HnswOptions Engine => _engine ?? throw new InvalidOperationException("the index's parts are not resolved yet");

    /// <summary>The index's parts, after checking that it exists and is usable; their lengths are learnt (and an
    /// unsharded index's part loaded, or found corrupt) on first use.</summary>
    private async Task<IndexParts> PartsAsync()
    {
        await _lifecycleChange;
        CheckUsable();
        await _manifest.EnsureReadAsync();
        if (_manifest.State.Spec is not { } spec)
        {
            DeactivateOnIdle();   // a name that is no index keeps no activation
            throw new IndexNotFoundException("index not found");
        }
        if (_parts is null)
        {
            var generation = _manifest.State.Generation;
            _engine = IndexRules.ToOptions(spec);
            var replicas = IndexRules.ReplicaCount(spec);
            IPartClient[] clients = !IndexRules.UsesShardGrains(spec)
                ? [_own.Calls(spec, _engine, GrainContext.Address.SiloAddress?.Endpoint.ToString() ?? "", metrics)]
                : PartClients.Of(GrainFactory, Name, new IndexTopology(spec, generation), _copyReads);
            // A replicated index reads its copies in turn, not the one this silo may hold.
            _parts = new IndexParts(clients, s => replicas > 1 ? null : localParts.Find(Name, generation, s), spec.Revision);
        }
        await _parts.EnsureLengthsAsync();
        return _parts;
    }

    private IndexInfo Info(int length) => IndexRules.Info(Name, Spec, length);

    private void CheckUsable()
    {
        IndexNames.ThrowIfInvalid(Name);
        _own.Host.ThrowIfStale();
    }
}
