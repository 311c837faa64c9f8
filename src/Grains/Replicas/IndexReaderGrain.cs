using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Grains.Shards;
using Vectord.Storage.Items;

namespace Vectord.Grains.Replicas;

/// <summary>
/// Searches an index's parts from whichever silo the call reaches (see <see cref="IIndexReaderGrain"/>). The index's
/// shape (parameters and incarnation) is read from its manifest in storage, not asked of the index grain, so it is
/// known while that grain is being moved. Once the shape held is <see cref="Fresh"/> old it is read again in the
/// background while searches go on with the one held (a drop is seen at the next read; text fields added since, by a
/// search that names them, which the shape held refuses), so a search never waits for storage, which may be busy
/// serving a part's load after a node loss.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class IndexReaderGrain(
    [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage grainStorage,
    IOptions<ReplicationOptions> replication,
    IOptions<FilterOptions> filters,
    IndexMetrics metrics) : Grain, IIndexReaderGrain
{
    /// <summary>How long a shape is used before it is asked for again.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly CopyReadOptions _reads = new(replication.Value.HedgeAfter, replication.Value.ReadLimit);
    private Shape? _shape;
    private Task? _refreshing;

    /// <summary>The index's name: the key up to its <c>#</c> (see <see cref="IIndexReaderGrain"/>).</summary>
    private string Index => IndexReaders.IndexOf(this.GetPrimaryKeyString());

    /// <inheritdoc/>
    public async Task<SearchHit[][]> SearchBatchAsync(SearchQuery[] queries, CancellationToken cancellationToken = default)
    {
        var asked = DateTime.UtcNow;
        var shape = await ShapeAsync();
        if (!IndexRules.UsesShardGrains(shape.Topology.Spec))
        {
            // Its one part is held by the index grain itself.
            return await GrainFactory.GetGrain<IVectorIndexGrain>(Index).SearchBatchAsync(queries, cancellationToken);
        }
        SearchQuery[] checkedQueries;
        try
        {
            checkedQueries = SearchRun.Check(queries, shape.Engine, lone: queries?.Length == 1);
        }
        catch (InvalidIndexArgumentException) when (shape.Fetched < asked)
        {
            // The shape held may be older than text fields added since: refused only by the index as it is now.
            shape = await ReadShapeAsync();
            checkedQueries = SearchRun.Check(queries, shape.Engine, lone: queries?.Length == 1);
        }
        return await SearchRun.RunAsync(shape.Parts, checkedQueries, filters.Value.MaxEvaluationTime, metrics, cancellationToken);
    }

    private async Task<Shape> ShapeAsync()
    {
        if (_shape is not { } held) { return await ReadShapeAsync(); }
        if (DateTime.UtcNow - held.Fetched >= Fresh && _refreshing is null or { IsCompleted: true })
        {
            _refreshing = RefreshAsync();
        }
        return held;
    }

    /// <summary>Reads the shape again; a failure leaves the one held (the next search after <see cref="Fresh"/> tries
    /// again), and a dropped index is forgotten so the next search reads it afresh and says so.</summary>
    private async Task RefreshAsync()
    {
        try
        {
            await ReadShapeAsync();
        }
        catch (IndexNotFoundException)
        {
            _shape = null;
        }
        catch (Exception e) when (e is StorageUnavailableException or OrleansException or TimeoutException)
        {
            // storage is briefly busy or down: the shape held has not changed
        }
    }

    private async Task<Shape> ReadShapeAsync()
    {
        var manifest = new DeferredGrainState<IndexManifest>(grainStorage, "manifest", GrainFactory.GetGrain<IVectorIndexGrain>(Index).GetGrainId());
        await manifest.ReadStateAsync();
        var topology = new IndexTopology(manifest.State.Spec ?? throw new IndexNotFoundException("index not found"), manifest.State.Generation);
        if (_shape is { } current && current.Topology == topology) { return _shape = current with { Fetched = DateTime.UtcNow }; }
        var parts = new IndexParts(PartClients.Of(GrainFactory, Index, topology, _reads), _ => null, topology.Spec.Revision);
        return _shape = new Shape(topology, parts, IndexRules.ToOptions(topology.Spec), DateTime.UtcNow);
    }

    private sealed record Shape(IndexTopology Topology, IndexParts Parts, Hnsw.HnswOptions Engine, DateTime Fetched);
}
