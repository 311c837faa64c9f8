using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Vectord.Grains.Hosting;

namespace Vectord.Grains;

/// <summary>The cluster's list of index names (key 0), persisted in <c>storaged</c>.</summary>
public sealed class IndexCatalogGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage storage) : Grain, IIndexCatalogGrain
{
    private const int MaxAttempts = 5;
    private DeferredGrainState<CatalogState> state = null!;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        state = new DeferredGrainState<CatalogState>(storage, "catalog", this.GetGrainId());
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<string[]> ListNamesAsync()
    {
        await state.EnsureReadAsync();
        return [.. state.State.Names.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public Task RegisterAsync(string name)
    {
        IndexNames.ThrowIfInvalid(name);
        return UpdateAsync(names => names.Contains(name, StringComparer.Ordinal) ? null : () => names.Add(name), names => names.Remove(name));
    }

    /// <inheritdoc/>
    public Task UnregisterAsync(string name) =>
        UpdateAsync(names => names.Contains(name, StringComparer.Ordinal) ? () => names.Remove(name) : null, names => names.Add(name));

    /// <summary>Applies a change and writes it. Adding or removing one name commutes with any other such change,
    /// so when another writer got there first (a version conflict) the state is read again and the change re-applied.</summary>
    /// <param name="change">Given the names, the change to make, or null when there is nothing to do.</param>
    /// <param name="undo">Reverts the change in memory when the write fails.</param>
    private async Task UpdateAsync(Func<List<string>, Action?> change, Action<List<string>> undo)
    {
        await state.EnsureReadAsync();
        for (var attempt = 1; ; attempt++)
        {
            var apply = change(state.State.Names);
            if (apply is null) { return; }
            apply();
            var written = false;
            try
            {
                written = await GrainStateWrites.TryAsync(state.WriteStateAsync);
            }
            finally
            {
                if (!written) { undo(state.State.Names); }
            }
            if (written) { return; }
            if (attempt == MaxAttempts) { throw new StorageUnavailableException("the catalog keeps being changed concurrently; retry"); }
            await state.ReadStateAsync();
        }
    }
}
