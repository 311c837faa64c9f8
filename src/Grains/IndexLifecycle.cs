using Microsoft.Extensions.Logging;
using Vectord.Storage.Log;
using Vectord.Grains.Replicas;
using Vectord.Grains.Shards;
using Vectord.Grains.Snapshots;
using Vectord.Storage;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains;

/// <summary>
/// What creates, restores, changes and drops one index in storage, around the writes of its manifest
/// (<see cref="IndexManifestWrites"/>): the leftovers of an interrupted drop removed before a create; a restore's parts
/// written before its manifest, and removed when it fails; a dropped index's copies released and its data removed
/// after its manifest. The index grain runs one at a time, with no snapshot of its own part in flight, and resolves its
/// parts anew afterwards.
/// </summary>
/// <param name="name">The index.</param>
/// <param name="manifest">Its manifest.</param>
/// <param name="grains">The catalog, the cluster's silos, and the copies of the index's parts.</param>
/// <param name="store">The index data.</param>
/// <param name="capacity">What a restored part may hold.</param>
/// <param name="markStale">Called when another activation of the index wrote its manifest first.</param>
/// <param name="logger">Where data left behind is logged.</param>
internal sealed class IndexLifecycle(string name, DeferredGrainState<IndexManifest> manifest, IGrainFactory grains, IIndexBlobStore store,
    PartCapacity capacity, Action markStale, ILogger logger)
{
    private IndexManifestWrites Writes => new(manifest, grains.GetGrain<IIndexCatalogGrain>(0), name);

    private IndexSpec Spec => manifest.State.Spec ?? throw new IndexNotFoundException("index not found");

    /// <summary>Creates the index with the effective parameters of <paramref name="spec"/>, which it returns.</summary>
    /// <exception cref="IndexAlreadyExistsException">The index exists.</exception>
    /// <exception cref="InvalidIndexArgumentException">A parameter is invalid, or more copies than silos.</exception>
    public async Task<IndexSpec> CreateAsync(IndexSpec spec)
    {
        var effective = IndexRules.Effective(spec);
        await ThrowIfExistsAsync();
        await CheckReplicasAsync(effective);
        await store.DeletePrefixAsync(StorageKeys.IndexPrefix(name));   // leftovers of an interrupted drop
        await CreateAsync(new IndexManifest { Spec = effective, Generation = Guid.NewGuid().ToString("N"), ShardScheme = ShardRouting.Scheme });
        return effective;
    }

    /// <summary>Creates the index from the snapshot file <paramref name="upload"/> (see <see cref="SnapshotRestore"/>).</summary>
    /// <exception cref="IndexAlreadyExistsException">The index exists.</exception>
    /// <exception cref="InvalidIndexArgumentException">The file is missing, not a snapshot, or damaged.</exception>
    public async Task RestoreAsync(string upload, int shards)
    {
        await ThrowIfExistsAsync();
        var file = await store.OpenReadAsync(upload) ?? throw new InvalidIndexArgumentException("snapshot: the uploaded file is missing");
        await using (file)
        {
            await store.DeletePrefixAsync(StorageKeys.IndexPrefix(name));   // leftovers of an interrupted drop
            var generation = Guid.NewGuid().ToString("N");
            IndexManifest restored;
            try
            {
                restored = await SnapshotRestore.WriteIndexAsync(store, file, new PartLocation(name, generation, null), shards, capacity,
                    CheckReplicasAsync);
            }
            catch (Exception)
            {
                await DeleteQuietlyAsync(StorageKeys.IndexPrefix(name));   // only this restore wrote there
                throw;
            }
            try
            {
                await CreateAsync(restored);
            }
            catch (Exception)
            {
                // Another activation may have created the index meanwhile: only this restore's own parts go.
                await DeleteQuietlyAsync(StorageKeys.PartPrefix(name, generation));
                throw;
            }
        }
    }

    /// <summary>Adds text fields to the index's spec (see <see cref="IndexRules.WithTextFields"/>).</summary>
    /// <returns>Whether the spec changed (a new revision).</returns>
    public async Task<bool> AddTextFieldsAsync(IndexTextField[] fields)
    {
        await manifest.EnsureReadAsync();
        var spec = Spec;
        var next = IndexRules.WithTextFields(spec, fields);
        if (next.Revision == spec.Revision) { return false; }
        if (!await Writes.TryReplaceSpecAsync(next)) { throw Moved(); }
        return true;
    }

    /// <summary>Drops the index: its manifest, then its copies' parts and its data.</summary>
    /// <exception cref="IndexNotFoundException">There is no such index.</exception>
    public async Task DropAsync()
    {
        await manifest.EnsureReadAsync();
        var spec = Spec;   // 404 when absent; a corrupt index can still be dropped
        if (!await Writes.TryDropAsync()) { throw Moved(); }
        if (IndexRules.UsesShardGrains(spec)) { await PartClients.ReleaseAsync(grains, name, spec); }
        await DeleteQuietlyAsync(StorageKeys.IndexPrefix(name));
    }

    /// <summary>Refuses more copies of each part than the cluster has silos to hold them apart.</summary>
    public async Task CheckReplicasAsync(IndexSpec spec)
    {
        if (spec.Replicas <= 1) { return; }
        var silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        if (spec.Replicas > silos)
        {
            throw new InvalidIndexArgumentException($"replicas must be at most the cluster's {silos} active silo(s), so that each copy of a shard is on another silo");
        }
    }

    private async Task ThrowIfExistsAsync()
    {
        await manifest.EnsureReadAsync();
        if (manifest.State.Spec is not null) { throw new IndexAlreadyExistsException("index already exists"); }
    }

    private async Task CreateAsync(IndexManifest state)
    {
        if (await Writes.TryCreateAsync(state)) { return; }
        markStale();
        throw new IndexAlreadyExistsException("index already exists");
    }

    private StorageUnavailableException Moved()
    {
        markStale();
        return new StorageUnavailableException(StorageUnavailableException.IndexMoved);
    }

    private async Task DeleteQuietlyAsync(string prefix)
    {
        try
        {
            await store.DeletePrefixAsync(prefix);
        }
        catch (StorageUnavailableException e)
        {
            GrainLog.Leftovers(logger, name, e.Message);   // the next create of this name removes them
        }
    }
}
