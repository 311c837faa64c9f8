using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using Vectord.Grains.Snapshots;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Storage.Snapshots;

namespace Vectord.Grains.Tests;

/// <summary>Snapshot files made to be hostile, each with a valid SHA-256 trailer: whatever a part's image or frames
/// claim, the restore is refused as a format error (400) and leaves nothing behind.</summary>
[Collection(FileCluster.Name)]
public sealed class CraftedSnapshotTests(FileClusterFixture fixture)
{
    private const int Dim = 6;
    private static readonly IndexSpec Cosine = new(Dim, 8, 40, IndexDistance.Cosine, 1);

    private static byte[] Image(DistanceKind distance, int count)
    {
        var index = new HnswIndex(new HnswOptions(Dim, distance, M: 8, EfSearch: 40));
        index.AddBatch([.. TestData.Items(count, Dim, seed: 4).Select(i => new VectorItem(i.Id, i.Vector, null))]);
        using var output = new MemoryStream();
        index.Save(output);
        return output.ToArray();
    }

    /// <summary>A snapshot of <paramref name="spec"/> whose parts are the given bytes, with a valid trailer.</summary>
    private static byte[] File(IndexSpec spec, int[] lengths, params byte[][] parts)
    {
        using var output = new MemoryStream();
        var header = SnapshotHeader.Of("crafted", spec, DateTimeOffset.UtcNow, lengths, Shards.ShardRouting.Scheme);
        SnapshotFile.Write(output, header, [.. parts.Select(p => (Action<Stream>)(s => s.Write(p)))]);
        return output.ToArray();
    }

    /// <summary>Writes the SHA-256 of everything before the trailer into it, as a writer of the file would.</summary>
    private static byte[] Resealed(byte[] file)
    {
        SHA256.HashData(file.AsSpan(0, file.Length - SnapshotFile.TrailerLength), file.AsSpan(file.Length - SnapshotFile.TrailerLength));
        return file;
    }

    private static int FirstFrame(byte[] file) => SnapshotFile.PrefixLength + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));

    private async Task AssertRefusedAsync(byte[] file, int shards, string expected)
    {
        var name = TestData.Name("crafted");
        var e = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => SnapshotTransfer.RestoreAsync(fixture.Grains, file, name, shards));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Grains.GetGrain<IVectorIndexGrain>(name).GetInfoAsync());
        Assert.DoesNotContain(name, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
        Assert.False(Directory.Exists(Path.Combine(fixture.StoragePath, StorageKeys.IndexPrefix(name))), "an index directory was left");
        var uploads = Path.Combine(fixture.StoragePath, "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_part_claiming_40_million_slots_is_refused_before_anything_is_allocated(int shards)
    {
        var image = Image(DistanceKind.Cosine, 3);
        const int HeaderLength = 5 + (11 * 4), SlotsOffset = 5 + (7 * 4);
        BinaryPrimitives.WriteInt32LittleEndian(image.AsSpan(SlotsOffset), 40_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(HeaderLength), XxHash64.HashToUInt64(image.AsSpan(0, HeaderLength)));
        await AssertRefusedAsync(File(Cosine, [3], image), shards, "snapshot: part 0 is damaged: truncated: the header claims 40000000 slots");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_euclidean_graph_under_a_cosine_header_is_refused(int shards) =>
        await AssertRefusedAsync(File(Cosine, [30], Image(DistanceKind.Euclidean, 30)), shards,
            "snapshot: part 0 is an index of dimension 6, distance euclidean, m 8, quantization none; the header says dimension 6, distance cosine, m 8, quantization none");

    [Fact]
    public async Task A_part_holding_other_than_the_headers_count_is_refused() =>
        await AssertRefusedAsync(File(Cosine, [29], Image(DistanceKind.Cosine, 30)), 0, "snapshot: part 0 holds 30 items; the header says 29");

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_negative_frame_length_is_a_format_error(int shards)
    {
        var file = File(Cosine, [30], Image(DistanceKind.Cosine, 30));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(FirstFrame(file)), -5);
        await AssertRefusedAsync(Resealed(file), shards, "snapshot: a part is damaged (bad frame length)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_missing_part_is_a_format_error(int shards)
    {
        var spec = Cosine with { Shards = 2 };
        var (first, second) = (Image(DistanceKind.Cosine, 30), Image(DistanceKind.Cosine, 0));
        var file = File(spec, [30, 0], first, second);
        var cut = 4 + second.Length + 4;   // the second part's one frame and its end
        var trailerAt = file.Length - SnapshotFile.TrailerLength;
        var missing = Resealed([.. file.AsSpan(0, trailerAt - cut), .. file.AsSpan(trailerAt)]);
        await AssertRefusedAsync(missing, shards, "snapshot: ");
        var extra = Resealed([.. file.AsSpan(0, trailerAt), 1, 2, 3, .. file.AsSpan(trailerAt)]);
        await AssertRefusedAsync(extra, shards, "snapshot: the parts do not end where the trailer begins");
    }
}
