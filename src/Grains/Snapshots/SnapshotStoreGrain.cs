using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Vectord.Grains.Hosting;
using Vectord.Storage;

namespace Vectord.Grains.Snapshots;

/// <summary>The stored snapshots (see <see cref="ISnapshotStoreGrain"/>), served by whichever silo takes the call.</summary>
[StatelessWorker]
public sealed class SnapshotStoreGrain([FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store)
    : Grain, ISnapshotStoreGrain
{
    /// <summary>Largest read of one call.</summary>
    public const int MaxRead = 4 << 20;

    private readonly SnapshotStore _snapshots = new(store);

    /// <inheritdoc/>
    public Task<SnapshotInfo[]> ListAsync(string index) => _snapshots.ListAsync(index);

    /// <inheritdoc/>
    public Task<SnapshotInfo> GetAsync(string index, string snapshot) => _snapshots.GetAsync(index, snapshot);

    /// <inheritdoc/>
    public Task<byte[]> ReadAsync(string index, string snapshot, long offset, int count) =>
        _snapshots.ReadAsync(index, snapshot, offset, Math.Clamp(count, 1, MaxRead));

    /// <inheritdoc/>
    public Task DeleteAsync(string index, string snapshot) => _snapshots.DeleteAsync(index, snapshot);
}
