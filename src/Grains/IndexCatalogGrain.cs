using Vectord.Grains.Hosting;
using Vectord.Grains.Storage;

namespace Vectord.Grains;

/// <summary>The cluster's list of index names (key 0), persisted in <c>storaged</c>.</summary>
public sealed class IndexCatalogGrain(
    [PersistentState("catalog", VectordStorageOptions.ProviderName)] IPersistentState<CatalogState> state) : Grain, IIndexCatalogGrain
{
    /// <inheritdoc/>
    public Task<string[]> ListNamesAsync() => Task.FromResult(state.State.Names.Order(StringComparer.Ordinal).ToArray());

    /// <inheritdoc/>
    public async Task RegisterAsync(string name)
    {
        if (!StorageKeys.IsValidName(name)) { throw new InvalidIndexArgumentException(StorageKeys.InvalidNameMessage); }
        if (state.State.Names.Contains(name, StringComparer.Ordinal)) { return; }
        state.State.Names.Add(name);
        await WriteOrUndoAsync(() => state.State.Names.Remove(name));
    }

    /// <inheritdoc/>
    public async Task UnregisterAsync(string name)
    {
        if (!state.State.Names.Remove(name)) { return; }
        await WriteOrUndoAsync(() => state.State.Names.Add(name));
    }

    private async Task WriteOrUndoAsync(Action undo)
    {
        var written = false;
        try
        {
            written = await GrainStateWrites.TryAsync(() => state.WriteStateAsync());
        }
        finally
        {
            if (!written) { undo(); }
        }
        if (!written)
        {
            // Another activation wrote the catalog: reload and let the caller retry.
            await state.ReadStateAsync();
            throw new StorageUnavailableException("the catalog was changed concurrently; retry");
        }
    }
}
