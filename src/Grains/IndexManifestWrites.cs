namespace Vectord.Grains;

/// <summary>
/// The writes of an index's manifest that make the index exist, change its spec or end it, with its entry in the
/// catalog of names. Each leaves the manifest held in memory as it was when storage refuses it. A false answer means
/// another activation of the index wrote the manifest first (a version conflict): the caller's copy is stale.
/// </summary>
/// <remarks>
/// What survives a crash between the storage calls: a create or restore writes the manifest, then the catalog entry,
/// and takes the manifest back when the catalog refuses; a crash between the two leaves an index that works but is not
/// listed until it is created again (which answers 409) or dropped. A drop removes the catalog entry first, so a crash
/// leaves an index that works but is not listed, never a listed name without an index. A new spec is one manifest
/// write: either the old spec holds or the new one does.
/// </remarks>
/// <param name="manifest">The index's manifest, read.</param>
/// <param name="catalog">The catalog of index names.</param>
/// <param name="name">The index's name.</param>
internal sealed class IndexManifestWrites(DeferredGrainState<IndexManifest> manifest, IIndexCatalogGrain catalog, string name)
{
    /// <summary>Makes the index exist as <paramref name="state"/> says: the manifest, then its catalog entry.</summary>
    /// <returns>False when another activation wrote the manifest first (nothing was written).</returns>
    /// <exception cref="StorageUnavailableException">Storage refused (nothing was written, or it was taken back).</exception>
    public async Task<bool> TryCreateAsync(IndexManifest state)
    {
        var previous = manifest.State;
        manifest.State = state;
        if (!await TryWriteAsync(() => manifest.State = previous)) { return false; }
        try
        {
            await catalog.RegisterAsync(name);
        }
        catch (StorageUnavailableException)
        {
            await UndoCreateAsync(previous);
            throw;
        }
        return true;
    }

    /// <summary>Takes back a manifest whose catalog entry was refused (best effort: a manifest left behind is met by the
    /// next create or drop of the name).</summary>
    private async Task UndoCreateAsync(IndexManifest previous)
    {
        await GrainStateWrites.TryAsync(manifest.ClearStateAsync);
        manifest.State = previous;
    }

    /// <summary>Writes <paramref name="spec"/> as the index's spec.</summary>
    /// <returns>False when another activation wrote the manifest first (the spec held is as it was).</returns>
    /// <exception cref="StorageUnavailableException">Storage refused (the spec held is as it was).</exception>
    public Task<bool> TryReplaceSpecAsync(IndexSpec spec)
    {
        var previous = manifest.State.Spec;
        manifest.State.Spec = spec;
        return TryWriteAsync(() => manifest.State.Spec = previous);
    }

    /// <summary>Ends the index: its catalog entry, then its manifest.</summary>
    /// <returns>False when another activation wrote the manifest first.</returns>
    /// <exception cref="StorageUnavailableException">Storage refused.</exception>
    public async Task<bool> TryDropAsync()
    {
        await catalog.UnregisterAsync(name);
        return await GrainStateWrites.TryAsync(manifest.ClearStateAsync);
    }

    /// <summary>Writes the manifest held; on a refusal or a conflict, <paramref name="undo"/> restores what it held.</summary>
    private async Task<bool> TryWriteAsync(Action undo)
    {
        var written = false;
        try
        {
            written = await GrainStateWrites.TryAsync(manifest.WriteStateAsync);
            return written;
        }
        finally
        {
            if (!written) { undo(); }
        }
    }
}
