using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;
using Vectord.Grains.Hosting;

namespace Vectord.Grains.Catalog;

/// <summary>
/// The cluster's list of index names (key 0), persisted in <c>storaged</c> as <see cref="BucketCount"/> buckets
/// (<c>catalog-00</c> … <c>catalog-3f</c>, a name's bucket chosen by the XxHash64 of its UTF-8 bytes). A create or a
/// drop rewrites one bucket, about 1/64 of the names, and the changes that arrive together share that write: the cost
/// of registering a name does not grow with the fleet. The grain is reentrant so that registrations for different
/// buckets, and listings, proceed while a bucket is being written.
/// </summary>
/// <remarks>A catalog kept whole in one document (<c>catalog</c>, before buckets) is moved into the buckets by the
/// first activation that reads it, then deleted; a move cut short is repeated, adding names that are already there.</remarks>
[Reentrant]
public sealed class IndexCatalogGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage storage) : Grain, IIndexCatalogGrain
{
    /// <summary>How many buckets the names are spread over; part of the storage layout, never changed.</summary>
    public const int BucketCount = 64;

    private const string WholeCatalogStateName = "catalog";
    private CatalogBucket[] _buckets = [];
    private Task? _loading;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        var id = this.GetGrainId();
        _buckets = [.. Enumerable.Range(0, BucketCount).Select(b => new CatalogBucket(storage, BucketStateName(b), id))];
        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>The grain state that holds bucket <paramref name="bucket"/>.</summary>
    public static string BucketStateName(int bucket) => $"catalog-{bucket:x2}";

    /// <summary>The bucket a name belongs to.</summary>
    public static int BucketOf(string name) => (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(name)) % BucketCount);

    /// <inheritdoc/>
    public async Task<string[]> ListNamesAsync()
    {
        await LoadAsync();
        var names = _buckets.SelectMany(b => b.Names).ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc/>
    public async Task RegisterAsync(string name)
    {
        IndexNames.ThrowIfInvalid(name);
        await LoadAsync();
        await _buckets[BucketOf(name)].ChangeAsync(name, present: true);
    }

    /// <inheritdoc/>
    public async Task UnregisterAsync(string name)
    {
        await LoadAsync();
        await _buckets[BucketOf(name)].ChangeAsync(name, present: false);
    }

    /// <summary>Reads every bucket, and moves a whole-document catalog into them; once per activation, again after a
    /// failure.</summary>
    private async Task LoadAsync()
    {
        _loading ??= ReadAllAsync();
        try
        {
            await _loading;
        }
        catch (Exception)
        {
            _loading = null;
            throw;
        }
    }

    private async Task ReadAllAsync()
    {
        var whole = new DeferredGrainState<CatalogState>(storage, WholeCatalogStateName, this.GetGrainId());
        await Task.WhenAll(_buckets.Select(b => b.EnsureReadAsync()).Append(whole.EnsureReadAsync()));
        if (whole.State.Names.Count == 0) { return; }

        await Task.WhenAll(whole.State.Names.Select(name => _buckets[BucketOf(name)].ChangeAsync(name, present: true)));
        if (!await GrainStateWrites.TryAsync(whole.ClearStateAsync))
        {
            throw new StorageUnavailableException("the catalog was changed while it was being moved into buckets; retry");
        }
    }
}
