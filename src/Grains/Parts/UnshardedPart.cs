using Vectord.Grains.Diagnostics;
using Vectord.Grains.Hosting;
using Vectord.Grains.Items;
using Vectord.Storage.Log;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Parts;

/// <summary>
/// Where the one part of an unsharded index lives and how it starts and loads: held by the index grain itself (no
/// extra hop), stored in the incarnation's own folder, with the index's manifest as its checkpoint, as such indexes have
/// always been. Its lifecycle is its <see cref="PartHost"/>'s.
/// </summary>
/// <param name="host">Holds the part.</param>
/// <param name="manifest">The index's manifest: its incarnation, and the snapshot its part recovers from.</param>
/// <param name="name">The index.</param>
/// <param name="store">The index data.</param>
/// <param name="options">Snapshot policy and part capacity.</param>
/// <param name="cache">Where the vectors of an on_disk index are kept on this node.</param>
internal sealed class UnshardedPart(PartHost host, DeferredGrainState<IndexManifest> manifest, string name, IIndexBlobStore store,
    VectordStorageOptions options, VectorCache cache)
{
    /// <summary>The part's host.</summary>
    public PartHost Host => host;

    private PartLocation Location => new(name, manifest.State.Generation, null);

    /// <summary>Holds a new, empty part, for an index just created with <paramref name="spec"/>.</summary>
    public void Start(IndexSpec spec) => host.Start(new IndexPart(
        new HnswIndex(IndexRules.ToOptions(spec), cache.NewFile(Location, spec.OnDisk)),
        PartLog.Start(store, Location, new ManifestCheckpoint(manifest), options.SnapshotPolicy), options.PartCapacity, spec.Revision));

    /// <summary>The part's operations for <paramref name="spec"/> (engine options <paramref name="engine"/>), which load
    /// it from storage when it is not held.</summary>
    public PartCalls Calls(IndexSpec spec, HnswOptions engine, string silo, IndexMetrics metrics) => new(host, async () =>
    {
        var (index, log) = await PartLog.RecoverAsync(store, Location, new ManifestCheckpoint(manifest), options.SnapshotPolicy, engine,
            cache.NewFile(Location, spec.OnDisk));
        return new IndexPart(index, log, options.PartCapacity, spec.Revision);
    }, engine, spec.Revision, 0, silo, metrics);
}
