using Vectord.Grains.Items;
using Vectord.Grains.Persistence;
using Vectord.Grains.Shards;
using Vectord.Grains.Storage;
using Vectord.Hnsw;

namespace Vectord.Grains.Snapshots;

/// <summary>
/// Turns the parts of a snapshot file into the stored parts of a new index: each becomes its part's snapshot at
/// sequence number <see cref="Seq"/>, which the part's checkpoint then points at, so the index recovers from them as
/// from any snapshot of its own. Into the same number of parts the engine images are copied as they are (the graphs
/// are kept, nothing is rebuilt); into another number every item is placed again by <see cref="ShardRouting"/> and
/// each new part's graph is built.
/// </summary>
internal static class SnapshotRestore
{
    /// <summary>The sequence number restored parts start from (their logs continue after it).</summary>
    public const long Seq = 1;

    /// <summary>Reads the parts of <paramref name="file"/> (standing after its header) into the parts of an index
    /// with <paramref name="target"/>'s parameters, part i stored at <paramref name="at"/>(i).</summary>
    /// <returns>Bytes of each part's stored snapshot.</returns>
    /// <exception cref="SnapshotFormatException">A part cannot be read.</exception>
    public static async Task<long[]> WritePartsAsync(IIndexBlobStore store, Stream file, SnapshotHeader header, IndexSpec target, Func<int, PartLocation> at)
    {
        var sizes = new long[IndexRules.ShardCount(target)];
        if (sizes.Length == header.Parts)
        {
            for (var s = 0; s < sizes.Length; s++)
            {
                sizes[s] = await store.TryCreateAsync(at(s).Snapshot(Seq), output =>
                {
                    using var part = SnapshotFile.OpenPart(file);
                    part.CopyTo(output, 1 << 20);
                }) ?? throw Exists(at(s));
            }
            return sizes;
        }
        var built = await Task.Run(() => Reshard(file, header, target, sizes.Length));
        for (var s = 0; s < sizes.Length; s++)
        {
            sizes[s] = await store.TryCreateAsync(at(s).Snapshot(Seq), built[s].Save) ?? throw Exists(at(s));
        }
        return sizes;
    }

    private static HnswIndex[] Reshard(Stream file, SnapshotHeader header, IndexSpec target, int shards)
    {
        var shares = new List<VectorItem>[shards];
        for (var s = 0; s < shards; s++) { shares[s] = []; }
        for (var p = 0; p < header.Parts; p++)
        {
            HnswIndex source;
            using (var part = SnapshotFile.OpenPart(file))
            {
                try
                {
                    source = HnswIndex.Load(part);
                }
                catch (HnswFormatException e)
                {
                    throw new SnapshotFormatException($"part {p} is damaged: {e.Message}");
                }
            }
            if (source.Options.Dimension != target.Dimension)
            {
                throw new SnapshotFormatException($"part {p} has dimension {source.Options.Dimension}, the header {target.Dimension}");
            }
            foreach (var id in source.GetIds())
            {
                if (source.TryGet(id, out var item)) { shares[ShardRouting.ShardOf(id, shards)].Add(item); }
            }
        }
        var options = IndexRules.ToOptions(target);
        return [.. shares.Select(share =>
        {
            var index = new HnswIndex(options);
            index.AddBatch(share);
            return index;
        })];
    }

    private static StorageUnavailableException Exists(PartLocation part) =>
        new($"{part}: a snapshot is stored there already; retry");
}
