using System.Diagnostics;
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
using Vectord.Grains.Persistence;
using Vectord.Grains.Replicas;
using Vectord.Grains.Shards;
using Vectord.Grains.Snapshots;
using Vectord.Grains.Storage;
using Vectord.Hnsw;

namespace Vectord.Grains;

/// <summary>
/// One index, keyed by its name: its lifecycle (create, drop) and manifest, the checking of every request, and the
/// routing of items to its parts. An unsharded index holds its one part itself, with the storage layout indexes have
/// always had and no extra hop; a sharded one spreads items over shard grains by <see cref="ShardRouting"/>, writes
/// the shards of a batch in parallel, and fans reads out to every shard and merges their answers. The durability
/// protocol of each part is <see cref="PartLog"/>.
/// Placed by activation count, so the indexes of a cluster spread over its silos rather than following the caller.
/// </summary>
[ActivationCountBasedPlacement]
public sealed partial class VectorIndexGrain(
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
    private PartHost _local = null!;
    private IndexParts? _parts;
    private Task _mergesBefore = Task.CompletedTask;
    private Task _lifecycleChange = Task.CompletedTask;
    private HnswOptions? _engine;

    private string Name => this.GetPrimaryKeyString();

    private IndexSpec Spec => _manifest.State.Spec ?? throw new IndexNotFoundException("index not found");

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The manifest is read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        _manifest = new DeferredGrainState<IndexManifest>(grainStorage, "manifest", this.GetGrainId());
        // The one part of an unsharded index is held here; the silo's metrics report it as shard 0.
        _local = new PartHost(logger, metrics, DeactivateOnIdle, part => metrics.Holding(Name, 0, part), vectorCache);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await (_options.SnapshotOnDeactivate ? _local.SnapshotOnDeactivateAsync() : _local.SettleAsync());
        _local.Reset();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    // ---------------------------------------------------------------- lifecycle

    /// <inheritdoc/>
    public Task<IndexInfo> CreateAsync(IndexSpec spec) => ChangeLifecycleAsync(() => CreateCoreAsync(spec));

    private async Task<IndexInfo> CreateCoreAsync(IndexSpec spec)
    {
        CheckUsable();
        var effective = IndexRules.Effective(spec);
        await _manifest.EnsureReadAsync();
        if (_manifest.State.Spec is not null) { throw new IndexAlreadyExistsException("index already exists"); }
        await CheckReplicasAsync(effective);

        await store.DeletePrefixAsync(StorageKeys.IndexPrefix(Name));   // leftovers of an interrupted drop
        var previous = _manifest.State;
        _manifest.State = new IndexManifest { Spec = effective, Generation = Guid.NewGuid().ToString("N"), ShardScheme = ShardRouting.Scheme };
        bool written;
        try
        {
            written = await GrainStateWrites.TryAsync(_manifest.WriteStateAsync);
        }
        catch (StorageUnavailableException)
        {
            _manifest.State = previous;
            throw;
        }
        if (!written)
        {
            _manifest.State = previous;
            _local.MarkStale();
            throw new IndexAlreadyExistsException("index already exists");
        }

        try
        {
            await GrainFactory.GetGrain<IIndexCatalogGrain>(0).RegisterAsync(Name);
        }
        catch (StorageUnavailableException)
        {
            await GrainStateWrites.TryAsync(_manifest.ClearStateAsync);
            throw;
        }

        ResetParts();
        if (!IndexRules.UsesShardGrains(effective))
        {
            var checkpoint = new ManifestCheckpoint(_manifest);
            var index = new HnswIndex(IndexRules.ToOptions(effective), vectorCache.NewFile(LocalLocation, effective.OnDisk));
            _local.Start(new IndexPart(index, PartLog.Start(store, LocalLocation, checkpoint, _options.SnapshotPolicy), _options.PartCapacity, effective.Revision));
        }
        return Info(0);
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
        await ChangeLifecycleAsync(() => CommitTextFieldsAsync(fields));
        var parts = await PartsAsync();
        await parts.CopiesAsync();   // each copy indexes the fields now, called with the new spec, not at its next read
        return Info(parts.Length);
    });

    /// <summary>Writes the manifest with the fields added (a new revision of the spec), unless it has them.</summary>
    private async Task<bool> CommitTextFieldsAsync(IndexTextField[] fields)
    {
        CheckUsable();
        await _manifest.EnsureReadAsync();
        var previous = Spec;
        var spec = IndexRules.WithTextFields(previous, fields);
        if (spec.Revision == previous.Revision) { return false; }
        _manifest.State.Spec = spec;
        var written = false;
        try
        {
            written = await GrainStateWrites.TryAsync(_manifest.WriteStateAsync);
        }
        finally
        {
            if (!written) { _manifest.State.Spec = previous; }
        }
        if (!written)
        {
            _local.MarkStale();
            throw new StorageUnavailableException(StorageUnavailableException.IndexMoved);
        }
        _parts = null;   // made again for the new spec; the part this grain holds stays, and is brought up to it
        _engine = null;
        return true;
    }

    /// <inheritdoc/>
    public Task DropAsync() => ChangeLifecycleAsync(DropCoreAsync);

    private async Task<bool> DropCoreAsync()
    {
        CheckUsable();
        await _manifest.EnsureReadAsync();
        var spec = Spec;   // 404 when absent; a corrupt index can still be dropped
        await GrainFactory.GetGrain<IIndexCatalogGrain>(0).UnregisterAsync(Name);
        if (!await GrainStateWrites.TryAsync(_manifest.ClearStateAsync))
        {
            _local.MarkStale();
            throw new StorageUnavailableException(StorageUnavailableException.IndexMoved);
        }
        var shards = IndexRules.ShardCount(spec);
        var replicas = IndexRules.ReplicaCount(spec);
        ResetParts();
        if (IndexRules.UsesShardGrains(spec))
        {
            await Task.WhenAll(Enumerable.Range(0, shards).SelectMany(s => Enumerable.Range(0, replicas).Select(r => r == 0
                ? GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(Name, s)).ReleaseAsync()
                : GrainFactory.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(Name, s, r)).ReleaseAsync())));
        }
        try
        {
            await store.DeletePrefixAsync(StorageKeys.IndexPrefix(Name));
        }
        catch (StorageUnavailableException e)
        {
            GrainLog.Leftovers(logger, Name, e.Message);   // the next create of this name removes them
        }
        DeactivateOnIdle();
        return true;
    }

    /// <summary>Runs a create or drop; reads that interleave (they may, see the interface) wait for it to finish
    /// rather than see a manifest or parts half changed.</summary>
    private async Task<T> ChangeLifecycleAsync<T>(Func<Task<T>> change)
    {
        var done = new TaskCompletionSource();
        _lifecycleChange = done.Task;
        try
        {
            await _local.SettleAsync();   // a snapshot in progress moves the manifest's checkpoint when it lands
            return await change();
        }
        finally
        {
            done.SetResult();
        }
    }

    // ---------------------------------------------------------------- items

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
        var hits = await SearchRun.RunAsync(parts, [ItemRules.CheckSearch(query, Engine, at: null)], _filterTime, metrics, cancellationToken);
        return hits[0];
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

    // ---------------------------------------------------------------- merge

    /// <inheritdoc/>
    public async Task<MergeResult> MergeIntoAsync(string destination, bool clearSource)
    {
        // Runs interleaved with everything: it only calls this index and the destination through ordinary turns.
        // One at a time per source, so that a repeated call (a client retrying after a timeout) does not run beside
        // the first and page the same items twice; it waits, then skips what the first merged.
        CheckName();
        var previous = _mergesBefore;
        var mine = new TaskCompletionSource();
        _mergesBefore = mine.Task;
        try
        {
            await previous;
            return await MergeRun.RunAsync(GrainFactory, Name, destination, clearSource);
        }
        finally
        {
            mine.SetResult();
        }
    }

    /// <inheritdoc/>
    public async Task<MergePage> ExportPageAsync(string? after, int limit) =>
        await (await PartsAsync()).ExportAsync(after, Math.Clamp(limit, 1, IndexLimits.MaxPage));

    /// <inheritdoc/>
    public Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items) =>
        _writes.WriteAsync(async () => await (await PartsAsync()).AddIfAbsentAsync(items ?? []));

    /// <inheritdoc/>
    public Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints) => _writes.WriteAsync(async () =>
    {
        var parts = await PartsAsync();
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fingerprints);
        return await parts.RemoveIfUnchangedAsync(ids, fingerprints);
    });

    // ---------------------------------------------------------------- parts

    /// <summary>The engine options of the index, known once <see cref="PartsAsync"/> has run.</summary>
    private HnswOptions Engine => _engine ?? throw new InvalidOperationException("the index's parts are not resolved yet");

    private PartLocation LocalLocation => new(Name, _manifest.State.Generation, null);

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
            var shards = IndexRules.ShardCount(spec);
            var generation = _manifest.State.Generation;
            _engine = IndexRules.ToOptions(spec);
            var replicas = IndexRules.ReplicaCount(spec);
            IPartClient[] clients = !IndexRules.UsesShardGrains(spec)
                ? [new PartCalls(_local, RecoverLocalAsync, _engine, spec.Revision, 0, GrainContext.Address.SiloAddress?.Endpoint.ToString() ?? "", metrics)]
                : PartClients.Of(GrainFactory, Name, new IndexTopology(spec, generation), _copyReads);
            // A replicated index reads its copies in turn, not the one this silo may hold.
            _parts = new IndexParts(clients, s => replicas > 1 ? null : localParts.Find(Name, generation, s), spec.Revision);
        }
        await _parts.EnsureLengthsAsync();
        return _parts;
    }

    private async Task<IndexPart> RecoverLocalAsync()
    {
        var (index, log) = await PartLog.RecoverAsync(store, LocalLocation, new ManifestCheckpoint(_manifest), _options.SnapshotPolicy, Engine,
            vectorCache.NewFile(LocalLocation, Spec.OnDisk));
        return new IndexPart(index, log, _options.PartCapacity, Spec.Revision);
    }

    private void ResetParts()
    {
        _local.Reset();
        _parts = null;
        _engine = null;
    }

    private IndexInfo Info(int length)
    {
        var spec = Spec;
        return new IndexInfo(Name, spec.Dimension, spec.M, spec.EfSearch, spec.Distance, length, IndexRules.ShardCount(spec), spec.Quantization,
            spec.OnDisk, Replicas: IndexRules.ReplicaCount(spec), TextFields: spec.TextFields, Bm25K1: spec.Bm25K1, Bm25B: spec.Bm25B);
    }

    /// <summary>Refuses more copies of each part than the cluster has silos to hold them apart.</summary>
    private async Task CheckReplicasAsync(IndexSpec spec)
    {
        if (spec.Replicas <= 1) { return; }
        var silos = (await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        if (spec.Replicas > silos)
        {
            throw new InvalidIndexArgumentException($"replicas must be at most the cluster's {silos} active silo(s), so that each copy of a shard is on another silo");
        }
    }

    private void CheckUsable()
    {
        CheckName();
        _local.ThrowIfStale();
    }

    private void CheckName()
    {
        IndexNames.ThrowIfInvalid(Name);
    }
}
