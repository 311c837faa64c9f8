using Vectord.Grains.Items;
using Vectord.Grains.Persistence;
using Vectord.Grains.Shards;
using Vectord.Grains.Snapshots;
using Vectord.Grains.Storage;

namespace Vectord.Grains;

/// <summary>Snapshots of the index (<see cref="SnapshotFile"/>): taking one, and creating the index from one.</summary>
public sealed partial class VectorIndexGrain
{
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

    /// <inheritdoc/>
    public async Task<IndexInfo> RestoreAsync(string upload, int shards)
    {
        await ChangeLifecycleAsync(() => RestoreCoreAsync(upload, shards));
        try
        {
            return Info((await PartsAsync()).Length);   // every part loads now: one that does not is refused here
        }
        catch (IndexCorruptException e)
        {
            await ChangeLifecycleAsync(DropCoreAsync);
            throw new InvalidIndexArgumentException($"snapshot: {e.Message}");
        }
    }

    private async Task<bool> RestoreCoreAsync(string upload, int shards)
    {
        CheckUsable();
        await _manifest.EnsureReadAsync();
        if (_manifest.State.Spec is not null) { throw new IndexAlreadyExistsException("index already exists"); }
        var file = await store.OpenReadAsync(upload) ?? throw new InvalidIndexArgumentException("snapshot: the uploaded file is missing");
        await using (file)
        {
            SnapshotHeader header;
            IndexSpec spec;
            try
            {
                header = SnapshotFile.ReadHeader(file);
                spec = header.ToSpec(shards == 0 ? header.Parts : shards);
            }
            catch (SnapshotFormatException e)
            {
                throw Refused(e);
            }
            var generation = Guid.NewGuid().ToString("N");
            var sharded = IndexRules.UsesShardGrains(spec);
            await CheckReplicasAsync(spec);
            PartLocation At(int s) => new(Name, generation, sharded ? s : null);

            await store.DeletePrefixAsync(StorageKeys.IndexPrefix(Name));   // leftovers of an interrupted drop
            var previous = _manifest.State;
            var written = false;
            try
            {
                long[] sizes;
                try
                {
                    sizes = await SnapshotRestore.WritePartsAsync(store, file, header, spec, _options.PartCapacity, At);
                }
                catch (SnapshotFormatException e)
                {
                    throw Refused(e);
                }
                for (var s = 0; sharded && s < sizes.Length; s++)
                {
                    var checkpoint = await DocumentCheckpoint.ReadAsync(store, At(s).Checkpoint, At(s).ToString());
                    if (!await checkpoint.TryMoveAsync(SnapshotRestore.Seq, sizes[s])) { throw new StorageUnavailableException(StorageUnavailableException.IndexMoved); }
                }
                _manifest.State = new IndexManifest
                {
                    Spec = spec,
                    Generation = generation,
                    ShardScheme = ShardRouting.Scheme,
                    SnapshotSeq = sharded ? 0 : SnapshotRestore.Seq,
                    SnapshotBytes = sharded ? 0 : sizes[0],
                };
                if (!await GrainStateWrites.TryAsync(_manifest.WriteStateAsync))
                {
                    _manifest.State = previous;
                    _local.MarkStale();
                    throw new IndexAlreadyExistsException("index already exists");
                }
                written = true;
                await GrainFactory.GetGrain<IIndexCatalogGrain>(0).RegisterAsync(Name);
            }
            catch (Exception)
            {
                if (written)
                {
                    await GrainStateWrites.TryAsync(_manifest.ClearStateAsync);
                    _manifest.State = previous;
                }
                await DeleteQuietlyAsync(StorageKeys.IndexPrefix(Name));   // only this restore wrote there (leftovers were deleted)
                throw;
            }
        }
        ResetParts();
        return true;
    }

    private async Task DeleteQuietlyAsync(string prefix)
    {
        try
        {
            await store.DeletePrefixAsync(prefix);
        }
        catch (StorageUnavailableException e)
        {
            GrainLog.Leftovers(logger, Name, e.Message);   // the next create of this name removes them
        }
    }

    private static InvalidIndexArgumentException Refused(SnapshotFormatException e) => new($"snapshot: {e.Message}");
}
