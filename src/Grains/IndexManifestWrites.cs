namespace Vectord.Grains;

/// <summary>
/// The writes of an index's manifest that make the index exist, change its spec or end it; the catalog of names is
/// told after each. Each leaves the manifest held in memory as it was when storage refuses it. A false answer means
/// another activation of the index wrote the manifest first (a version conflict): the caller's copy is stale.
/// </summary>
/// <remarks>
/// What survives a crash between the storage calls: the manifest is the one record that the index exists, and a create,
/// a new spec and a drop are each one write of it (or its deletion): either the index is as before or as after. The
/// catalog reads its names from the manifests (<see cref="Catalog.IndexCatalogGrain"/>), so a catalog that was not told
/// of a change (the call failed, or the silo died first) learns it at its next read from storage.
/// </remarks>
/// <param name="manifest">The index's manifest, read.</param>
/// <param name="catalog">The catalog of index names.</param>
/// <param name="name">The index's name.</param>
internal sealed class IndexManifestWrites(DeferredGrainState<IndexManifest> manifest, IIndexCatalogGrain catalog, string name)
{
    /// <summary>Makes the index exist as <paramref name="state"/> says, then tells the catalog.</summary>
    /// <returns>False when another activation wrote the manifest first (nothing was written).</returns>
    /// <exception cref="StorageUnavailableException">Storage refused (nothing was written).</exception>
    public async Task<bool> TryCreateAsync(IndexManifest state)
    {
        var previous = manifest.State;
        manifest.State = state;
        if (!await TryWriteAsync(() => manifest.State = previous)) { return false; }
        await TellCatalogAsync(() => catalog.RegisterAsync(name));
        return true;
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

    /// <summary>Ends the index: its manifest, then the catalog is told.</summary>
    /// <returns>False when another activation wrote the manifest first.</returns>
    /// <exception cref="StorageUnavailableException">Storage refused.</exception>
    public async Task<bool> TryDropAsync()
    {
        if (!await GrainStateWrites.TryAsync(manifest.ClearStateAsync)) { return false; }
        await TellCatalogAsync(() => catalog.UnregisterAsync(name));
        return true;
    }

    /// <summary>Tells the catalog of a change already durable in the manifest. A failure (the catalog's silo is gone,
    /// or storage refused its first read) is not the change's: the catalog reads the manifests at its next read from storage.</summary>
    private static async Task TellCatalogAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is StorageUnavailableException or OrleansException or TimeoutException)
        {
            // Read from the manifests at the catalog's next read.
        }
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
