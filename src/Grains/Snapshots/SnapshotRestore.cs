using Vectord.Storage.Log;
using Vectord.Grains.Shards;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Storage.Snapshots;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Snapshots;

/// <summary>
/// Turns the parts of a snapshot file into the stored parts of a new index: each becomes its part's snapshot at
/// sequence number <see cref="Seq"/>, which the part's checkpoint then points at, so the index recovers from them as
/// from any snapshot of its own. Into the same number of parts the engine images are copied as they are (the graphs
/// are kept, nothing is rebuilt); into another number every item is placed again by <see cref="ShardRouting"/> and
/// each new part's graph is built. Before a part's image is stored or loaded, its header is checked against the
/// file's: the same parameters, the item count the file's header gives, counts the file's bytes can hold, and no more
/// items than a part may hold (<see cref="PartCapacity"/>).
/// </summary>
internal static class SnapshotRestore
{
    /// <summary>The sequence number restored parts start from (their logs continue after it).</summary>
    public const long Seq = 1;

    /// <summary>
    /// Writes the parts of the snapshot <paramref name="file"/> as the incarnation <paramref name="index"/> names (its
    /// shard unset) of a new index, into <paramref name="shards"/> parts (0: the file's count), each shard's checkpoint
    /// pointing at its part, and gives the manifest that makes them the index, not written yet. On a failure the caller
    /// deletes the incarnation's storage.
    /// </summary>
    /// <param name="store">The index data.</param>
    /// <param name="file">The snapshot file, from its start.</param>
    /// <param name="index">The new index's name and incarnation.</param>
    /// <param name="shards">Parts wanted; 0 keeps the file's.</param>
    /// <param name="capacity">What a part may hold.</param>
    /// <param name="check">Checks the new index's spec before anything is written (e.g. its copies against the cluster).</param>
    /// <exception cref="InvalidIndexArgumentException">The file is not a snapshot, is damaged, or disagrees with itself.</exception>
    /// <exception cref="IndexFullException">A part would hold more items than <paramref name="capacity"/> allows.</exception>
    /// <exception cref="StorageUnavailableException">Storage failed.</exception>
    public static async Task<IndexManifest> WriteIndexAsync(IIndexBlobStore store, Stream file, PartLocation index, int shards,
        PartCapacity capacity, Func<IndexSpec, Task> check)
    {
        try
        {
            var header = SnapshotFile.ReadHeader(file);
            var spec = EffectiveSpec(header, shards == 0 ? header.Parts : shards);
            await check(spec);
            var sharded = IndexRules.UsesShardGrains(spec);
            PartLocation At(int s) => index with { Shard = sharded ? s : null };
            var sizes = await WritePartsAsync(store, file, header, spec, capacity, At);
            for (var s = 0; sharded && s < sizes.Length; s++)
            {
                var checkpoint = await DocumentCheckpoint.ReadAsync(store, At(s).Checkpoint, At(s).ToString());
                if (!await checkpoint.TryMoveAsync(Seq, sizes[s])) { throw new StorageUnavailableException(StorageUnavailableException.IndexMoved); }
            }
            return new IndexManifest
            {
                Spec = spec,
                Generation = index.Generation,
                ShardScheme = ShardRouting.Scheme,
                SnapshotSeq = sharded ? 0 : Seq,
                SnapshotBytes = sharded ? 0 : sizes[0],
            };
        }
        catch (SnapshotFormatException e)
        {
            throw new InvalidIndexArgumentException($"snapshot: {e.Message}");
        }
    }

    /// <summary>The checked parameters of an index restored from <paramref name="header"/> into <paramref name="shards"/> parts.</summary>
    /// <exception cref="SnapshotFormatException">The header's parameters are not an index's.</exception>
    private static IndexSpec EffectiveSpec(SnapshotHeader header, int shards)
    {
        var spec = header.ToSpec(shards);
        try
        {
            return IndexRules.Effective(spec);
        }
        catch (InvalidIndexArgumentException e)
        {
            throw new SnapshotFormatException($"the header is not valid: {e.Message}");
        }
    }

    /// <summary>Reads the parts of <paramref name="file"/> (standing after its header) into the parts of an index
    /// with <paramref name="target"/>'s parameters, part i stored at <paramref name="at"/>(i).</summary>
    /// <returns>Bytes of each part's stored snapshot.</returns>
    /// <exception cref="SnapshotFormatException">A part cannot be read, or disagrees with the header.</exception>
    /// <exception cref="IndexFullException">A part would hold more items than <paramref name="capacity"/> allows.</exception>
    public static async Task<long[]> WritePartsAsync(
        IIndexBlobStore store, Stream file, SnapshotHeader header, IndexSpec target, PartCapacity capacity, Func<int, PartLocation> at)
    {
        var check = new PartCheck(header, IndexRules.ToOptions(target), file.CanSeek ? file.Length : long.MaxValue);
        var sizes = new long[IndexRules.ShardCount(target)];
        if (sizes.Length == header.Parts)
        {
            for (var s = 0; s < sizes.Length; s++)
            {
                var p = s;
                sizes[s] = await store.TryCreateAsync(at(s).Snapshot(Seq), output =>
                {
                    using var part = SnapshotFile.OpenPart(file);
                    var head = new byte[HnswImageHeader.MaxLength];
                    var read = part.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                    var image = check.Header(p, head.AsSpan(0, read));
                    capacity.CheckRestore(image.Options.VectorLength, image.Count);
                    output.Write(head, 0, read);
                    part.CopyTo(output, 1 << 20);
                }) ?? throw Exists(at(s));
            }
            SnapshotFile.ReadEnd(file);
            return sizes;
        }
        var built = await Task.Run(() => Reshard(file, check, target, capacity, sizes.Length));
        for (var s = 0; s < sizes.Length; s++)
        {
            sizes[s] = await store.TryCreateAsync(at(s).Snapshot(Seq), built[s].Save) ?? throw Exists(at(s));
        }
        return sizes;
    }

    private static HnswIndex[] Reshard(Stream file, PartCheck check, IndexSpec target, PartCapacity capacity, int shards)
    {
        var shares = new List<VectorItem>[shards];
        for (var s = 0; s < shards; s++) { shares[s] = []; }
        for (var p = 0; p < check.Parts; p++)
        {
            using var part = SnapshotFile.OpenPart(file);
            var source = check.Load(p, part);
            foreach (var id in source.GetIds())
            {
                if (source.TryGet(id, out var item)) { shares[ShardRouting.ShardOf(id, shards)].Add(item); }
            }
        }
        SnapshotFile.ReadEnd(file);
        var options = IndexRules.ToOptions(target);
        foreach (var share in shares) { capacity.CheckRestore(options.VectorLength, share.Count); }
        return [.. shares.Select(share =>
        {
            var index = new HnswIndex(options);
            index.AddBatch(share);
            return index;
        })];
    }

    private static StorageUnavailableException Exists(PartLocation part) =>
        new($"{part}: a snapshot is stored there already; retry");

    /// <summary>Checks each part's image against the file's header, before anything is allocated for it.</summary>
    /// <param name="file">The file's header.</param>
    /// <param name="options">The engine parameters the header gives.</param>
    /// <param name="length">Bytes of the whole file: no part holds more.</param>
    private sealed class PartCheck(SnapshotHeader file, HnswOptions options, long length)
    {
        public int Parts => file.Parts;

        /// <summary>The header of part <paramref name="p"/>, read from the start of its image.</summary>
        public HnswImageHeader Header(int p, ReadOnlySpan<byte> image)
        {
            HnswImageHeader header;
            try
            {
                header = HnswImageHeader.Read(image, length);
            }
            catch (HnswFormatException e)
            {
                throw Damaged(p, e);
            }
            Accept(p, header);
            return header;
        }

        /// <summary>Part <paramref name="p"/>, loaded from <paramref name="image"/>, its header checked first.</summary>
        public HnswIndex Load(int p, Stream image)
        {
            try
            {
                return HnswIndex.Load(image, length, header => Accept(p, header));
            }
            catch (HnswFormatException e)
            {
                throw Damaged(p, e);
            }
        }

        private void Accept(int p, HnswImageHeader header)
        {
            var actual = header.Options;
            if ((actual.Dimension, actual.Distance, actual.M, actual.Quantization) != (options.Dimension, options.Distance, options.M, options.Quantization)
                || !Equals(actual.Vectors, options.Vectors))
            {
                throw new SnapshotFormatException(
                    $"part {p} is an index of dimension {actual.Dimension}, distance {Name(actual.Distance)}, m {actual.M}, quantization {Name(actual.Quantization)}{Named(actual)}; " +
                    $"the header says dimension {options.Dimension}, distance {Name(options.Distance)}, m {options.M}, quantization {Name(options.Quantization)}{Named(options)}");
            }
            if (header.Count != file.Lengths[p])
            {
                throw new SnapshotFormatException($"part {p} holds {header.Count} items; the header says {file.Lengths[p]}");
            }
        }

        private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

        private static string Named(HnswOptions options) =>
            options.Vectors is { } named ? $", named vectors {string.Join(", ", named.Select(v => $"{v.Name} ({v.Dimension}, {Name(v.Distance)}, {Name(v.Quantization)})"))}" : "";

        private static SnapshotFormatException Damaged(int p, HnswFormatException e) => new($"part {p} is damaged: {e.Message}", e);
    }
}
