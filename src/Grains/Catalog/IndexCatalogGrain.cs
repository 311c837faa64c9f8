using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vectord.Grains.Hosting;
using Vectord.Storage;

namespace Vectord.Grains.Catalog;

/// <summary>
/// The cluster's list of index names (key 0). An index exists exactly when its manifest does (a create writes it, a
/// drop deletes it), so the names are read from storage, as the keys of the manifests: when the catalog activates, and
/// again when it is asked after <see cref="VectordStorageOptions.CatalogRefreshSeconds"/>. Between, it follows the
/// creates and drops it is told of, in memory. It writes nothing: a create costs its manifest's write alone, and a
/// crash between a manifest's write or deletion and the call that tells the catalog is mended by the next read.
/// </summary>
/// <remarks>Reentrant: listings and changes go on while a read is under way; the changes made during a read are
/// applied again on top of what it found, so none is lost to a listing taken before it. Catalog documents that
/// earlier versions wrote (one document, then 64 buckets) are no longer read, and are deleted by the first read.</remarks>
[Reentrant]
public sealed class IndexCatalogGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
    IOptions<VectordStorageOptions> options) : Grain, IIndexCatalogGrain
{
    private const string ManifestStateName = "manifest";

    private readonly TimeSpan _refresh = TimeSpan.FromSeconds(options.Value.CatalogRefreshSeconds);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private List<(string Name, bool Present)>? _changedDuringRead;
    private Task? _reading;
    private long _readStarted;
    private bool _read;

    /// <inheritdoc/>
    public async Task<string[]> ListNamesAsync()
    {
        if (!_read || Stopwatch.GetElapsedTime(_readStarted) >= _refresh)
        {
            try
            {
                await ReadAsync();
            }
            catch (StorageUnavailableException) when (_read)
            {
                // The names known are still the best answer; the next listing tries storage again.
            }
        }
        var names = _names.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc/>
    public async Task RegisterAsync(string name)
    {
        IndexNames.ThrowIfInvalid(name);
        if (!_read) { await ReadAsync(); }
        Change(name, present: true);
    }

    /// <inheritdoc/>
    public async Task UnregisterAsync(string name)
    {
        if (!_read) { await ReadAsync(); }
        Change(name, present: false);
    }

    private void Change(string name, bool present)
    {
        Apply(name, present);
        _changedDuringRead?.Add((name, present));
    }

    private void Apply(string name, bool present)
    {
        if (present) { _names.Add(name); }
        else { _names.Remove(name); }
    }

    /// <summary>Reads the names from storage, or waits for the read under way.</summary>
    private async Task ReadAsync()
    {
        var reading = _reading ??= ReadManifestsAsync();
        try
        {
            await reading;
        }
        finally
        {
            if (_reading == reading) { _reading = null; }
        }
    }

    private async Task ReadManifestsAsync()
    {
        var started = Stopwatch.GetTimestamp();
        _changedDuringRead = [];
        try
        {
            var listed = await ManifestNamesAsync();
            if (!_read) { await DeleteEarlierCatalogAsync(); }
            _names.Clear();
            _names.UnionWith(listed);
            foreach (var (name, present) in _changedDuringRead) { Apply(name, present); }
            _readStarted = started;
            _read = true;
        }
        finally
        {
            _changedDuringRead = null;
        }
    }

    /// <summary>The names of the indexes whose manifest is stored.</summary>
    private async Task<List<string>> ManifestNamesAsync()
    {
        var prefix = StorageKeys.GrainStates(GrainTypeOf(GrainFactory.GetGrain<IVectorIndexGrain>("any")));
        var suffix = "/" + ManifestStateName;
        var names = new List<string>();
        foreach (var stored in await store.ListAsync(prefix))
        {
            if (!stored.Key.EndsWith(suffix, StringComparison.Ordinal)) { continue; }
            var name = stored.Key[prefix.Length..^suffix.Length];
            if (IndexNames.IsValid(name)) { names.Add(name); }
        }
        return names;
    }

    /// <summary>Removes what earlier versions kept as the catalog (under this grain's own states); best effort.</summary>
    private async Task DeleteEarlierCatalogAsync()
    {
        var id = this.GetGrainId();
        try
        {
            await store.DeletePrefixAsync(StorageKeys.GrainStates(id.Type.ToString()!) + StorageKeys.Segment(id.Key.ToString()!) + "/");
        }
        catch (StorageUnavailableException)
        {
            // Left for the next activation: nothing reads it.
        }
    }

    private static string GrainTypeOf(IAddressable grain) => grain.GetGrainId().Type.ToString()!;
}
