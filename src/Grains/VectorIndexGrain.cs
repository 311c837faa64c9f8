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
using Vectord.Grains.Shards;
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
public sealed class VectorIndexGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage grainStorage,
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
    IOptions<VectordStorageOptions> options,
    LocalParts localParts,
    IndexMetrics metrics,
    ILogger<VectorIndexGrain> logger) : Grain, IVectorIndexGrain, IVectorIndexMergeGrain
{
    private readonly VectordStorageOptions _options = options.Value;
    private DeferredGrainState<IndexManifest> _manifest = null!;
    private PartHost _local = null!;
    private IPartClient[]? _parts;
    private HnswOptions? _engine;
    private int[]? _lengths;

    private string Name => this.GetPrimaryKeyString();

    private IndexSpec Spec => _manifest.State.Spec ?? throw new IndexNotFoundException("index not found");

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The manifest is read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        _manifest = new DeferredGrainState<IndexManifest>(grainStorage, "manifest", this.GetGrainId());
        // The one part of an unsharded index is held here; the silo's metrics report it as shard 0.
        _local = new PartHost(logger, metrics, DeactivateOnIdle, part =>
        {
            if (part is null) { metrics.ForgetPart(Name, 0); }
            else { metrics.ReportPart(Name, 0, part.Count, part.MemoryBytes); }
        });
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_options.SnapshotOnDeactivate) { await _local.SnapshotOnDeactivateAsync(); }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    // ---------------------------------------------------------------- lifecycle

    /// <inheritdoc/>
    public async Task<IndexInfo> CreateAsync(IndexSpec spec)
    {
        CheckUsable();
        var effective = IndexRules.Effective(spec);
        await _manifest.EnsureReadAsync();
        if (_manifest.State.Spec is not null) { throw new IndexAlreadyExistsException("index already exists"); }

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
        if (effective.Shards == 1)
        {
            var checkpoint = new ManifestCheckpoint(_manifest);
            _local.Start(new IndexPart(new HnswIndex(IndexRules.ToOptions(effective)), PartLog.Start(store, LocalLocation, checkpoint, _options.SnapshotPolicy)));
        }
        return Info(0);
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> GetInfoAsync() => Info(await LengthAsync());

    /// <inheritdoc/>
    public async Task<ShardInfo[]> GetShardsAsync() => await Task.WhenAll((await PartsAsync()).Select(p => p.GetInfoAsync()));

    /// <inheritdoc/>
    public async Task DropAsync()
    {
        CheckUsable();
        await _manifest.EnsureReadAsync();
        var spec = Spec;   // 404 when absent; a corrupt index can still be dropped
        await GrainFactory.GetGrain<IIndexCatalogGrain>(0).UnregisterAsync(Name);
        if (!await GrainStateWrites.TryAsync(_manifest.ClearStateAsync))
        {
            _local.MarkStale();
            throw new StorageUnavailableException(IndexPart.MovedMessage);
        }
        var shards = IndexRules.ShardCount(spec);
        ResetParts();
        if (shards > 1)
        {
            await Task.WhenAll(Enumerable.Range(0, shards).Select(s => GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(Name, s)).ReleaseAsync()));
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
    }

    // ---------------------------------------------------------------- items

    /// <inheritdoc/>
    public async Task<AddResult> AddAsync(IndexItem[] items)
    {
        var parts = await PartsAsync();
        var batch = ItemRules.CheckBatch(items, Engine);   // the whole batch, before any part is written
        if (parts.Length == 1) { return Added([await parts[0].AddAsync(batch)], [0]); }
        var split = ShardRouting.Split(batch, i => i.Id, parts.Length);
        var written = Enumerable.Range(0, parts.Length).Where(s => split[s].Count > 0).ToArray();
        return Added(await WriteAllAsync(written, s => parts[s].AddAsync([.. split[s]])), written);
    }

    /// <inheritdoc/>
    public async Task<DeleteResult> DeleteAsync(string[] ids)
    {
        var parts = await PartsAsync();
        if (ids is null || ids.Length == 0) { throw new InvalidIndexArgumentException("ids must be non-empty"); }
        var split = ShardRouting.Split(ids.Where(id => id is not null), id => id, parts.Length);
        var written = Enumerable.Range(0, parts.Length).Where(s => split[s].Count > 0).ToArray();
        var results = await WriteAllAsync(written, s => parts[s].DeleteAsync([.. split[s]]));
        return new DeleteResult(results.Sum(r => r.Changed), Record(results, written));
    }

    /// <inheritdoc/>
    public async Task<IndexItem?> GetItemAsync(string id)
    {
        var parts = await PartsAsync();
        return id is null ? null : await parts[ShardRouting.ShardOf(id, parts.Length)].GetItemAsync(id);
    }

    /// <inheritdoc/>
    public async Task<SearchHit[]> SearchAsync(float[] vector, int k = ItemRules.DefaultK, int? ef = null)
    {
        var parts = await PartsAsync();
        ItemRules.CheckQuery(vector, Engine);
        k = ItemRules.EffectiveK(k);
        var beam = ItemRules.EffectiveEf(ef, k);
        var started = Stopwatch.GetTimestamp();
        var hits = parts.Length == 1 ? await parts[0].SearchAsync(vector, k, beam) : await SearchShardsAsync(parts, vector, k, beam);
        metrics.SearchCompleted(Stopwatch.GetElapsedTime(started));
        return hits;
    }

    private async Task<SearchHit[]> SearchShardsAsync(IPartClient[] parts, float[] vector, int k, int beam)
    {
        // Shards held in this silo are searched here directly (see LocalParts); the others through their grains.
        var generation = _manifest.State.Generation;
        var searches = new Task<SearchHit[]>[parts.Length];
        for (var s = 0; s < parts.Length; s++)
        {
            searches[s] = localParts.Find(Name, generation, s) is { } local
                ? PartCalls.Search(local, vector, k, beam)
                : parts[s].SearchAsync(vector, k, beam);
        }
        return FanIn.Nearest(await Task.WhenAll(searches), k);
    }

    /// <inheritdoc/>
    public async Task<ItemPage> ListItemsAsync(string? after = null, int limit = 100, bool includeVectors = false)
    {
        var parts = await PartsAsync();
        limit = ItemRules.EffectiveLimit(limit);
        return FanIn.Page(await Task.WhenAll(parts.Select(p => p.ListItemsAsync(after, limit, includeVectors))), limit);
    }

    // ---------------------------------------------------------------- merge

    /// <inheritdoc/>
    public Task<MergeResult> MergeIntoAsync(string destination, bool clearSource)
    {
        // Runs interleaved with everything: it only calls this index and the destination through ordinary turns.
        CheckName();
        return MergeRun.RunAsync(GrainFactory, Name, destination, clearSource);
    }

    /// <inheritdoc/>
    public async Task<MergePage> ExportPageAsync(string? after, int limit)
    {
        var parts = await PartsAsync();
        limit = Math.Clamp(limit, 1, ItemRules.MaxPage);
        return FanIn.Export(await Task.WhenAll(parts.Select(p => p.ExportPageAsync(after, limit))), limit);
    }

    /// <inheritdoc/>
    public async Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items)
    {
        var parts = await PartsAsync();
        var split = ShardRouting.Split(items ?? [], i => i?.Id ?? "", parts.Length);
        var written = Enumerable.Range(0, parts.Length).Where(s => split[s].Count > 0).ToArray();
        var outcomes = await Task.WhenAll(written.Select(s => parts[s].AddIfAbsentAsync([.. split[s]])));
        var length = Record([.. outcomes.Select(o => new PartWrite(o.Merged, o.Length))], written);
        return new MergeAddOutcome(outcomes.Sum(o => o.Merged), outcomes.Sum(o => o.Skipped), outcomes.Sum(o => o.Failed),
            outcomes.Select(o => o.FirstError).FirstOrDefault(e => e is not null), [.. outcomes.SelectMany(o => o.Taken)], length);
    }

    /// <inheritdoc/>
    public async Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints)
    {
        var parts = await PartsAsync();
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fingerprints);
        var split = ShardRouting.Split(ids.Zip(fingerprints), p => p.First, parts.Length);
        var written = Enumerable.Range(0, parts.Length).Where(s => split[s].Count > 0).ToArray();
        var results = await WriteAllAsync(written, s => parts[s].RemoveIfUnchangedAsync([.. split[s].Select(p => p.First)], [.. split[s].Select(p => p.Second)]));
        return Record(results, written);
    }

    // ---------------------------------------------------------------- parts

    /// <summary>The engine options of the index, known once <see cref="PartsAsync"/> has run.</summary>
    private HnswOptions Engine => _engine ?? throw new InvalidOperationException("the index's parts are not resolved yet");

    private PartLocation LocalLocation => new(Name, _manifest.State.Generation, null);

    /// <summary>The index's parts, after checking that it exists and is usable; a sharded index also learns its
    /// shards' lengths once.</summary>
    private async Task<IPartClient[]> PartsAsync()
    {
        CheckUsable();
        await _manifest.EnsureReadAsync();
        if (_manifest.State.Spec is null)
        {
            DeactivateOnIdle();   // a name that is no index keeps no activation
            throw new IndexNotFoundException("index not found");
        }
        var spec = _manifest.State.Spec;
        if (_parts is null)
        {
            var shards = IndexRules.ShardCount(spec);
            _engine = IndexRules.ToOptions(spec);
            _parts = shards == 1
                ? [new PartCalls(_local, RecoverLocalAsync, _engine, 0, GrainContext.Address.SiloAddress?.Endpoint.ToString() ?? "", metrics)]
                : [.. Enumerable.Range(0, shards).Select(s => new RemoteShard(
                    GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(Name, s)),
                    new ShardContext(Name, _manifest.State.Generation, spec, s)))];
        }
        if (_parts.Length == 1)
        {
            await _local.GetAsync(RecoverLocalAsync);   // loads the part, or reports it corrupt
        }
        else
        {
            _lengths ??= [.. (await Task.WhenAll(_parts.Select(p => p.GetInfoAsync()))).Select(i => i.Length)];
        }
        return _parts;
    }

    private async Task<IndexPart> RecoverLocalAsync()
    {
        var (index, log) = await PartLog.RecoverAsync(store, LocalLocation, new ManifestCheckpoint(_manifest), _options.SnapshotPolicy, Engine);
        return new IndexPart(index, log);
    }

    private async Task<int> LengthAsync()
    {
        var parts = await PartsAsync();
        return parts.Length == 1 ? _local.Loaded?.Count ?? 0 : _lengths!.Sum();
    }

    /// <summary>Writes to several parts at once. When one fails the others' lengths are still recorded and the
    /// first failure is raised: a retry of the same batch converges, since an add is an upsert and a delete of a
    /// deleted id does nothing.</summary>
    private async Task<PartWrite[]> WriteAllAsync(int[] shards, Func<int, Task<PartWrite>> write)
    {
        var tasks = shards.Select(write).ToArray();
        try
        {
            return await Task.WhenAll(tasks);
        }
        finally
        {
            for (var i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].IsCompletedSuccessfully && _lengths is not null) { _lengths[shards[i]] = tasks[i].Result.Length; }
            }
        }
    }

    private AddResult Added(PartWrite[] results, int[] shards) => new(results.Sum(r => r.Changed), Record(results, shards));

    /// <summary>Records the parts' new lengths and returns the index's.</summary>
    private int Record(PartWrite[] results, int[] shards)
    {
        if (_lengths is null) { return _local.Loaded?.Count ?? 0; }
        for (var i = 0; i < results.Length; i++) { _lengths[shards[i]] = results[i].Length; }
        return _lengths.Sum();
    }

    private void ResetParts()
    {
        _local.Reset();
        _parts = null;
        _engine = null;
        _lengths = null;
    }

    private IndexInfo Info(int length)
    {
        var spec = Spec;
        return new IndexInfo(Name, spec.Dimension, spec.M, spec.EfSearch, spec.Distance, length, IndexRules.ShardCount(spec));
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
