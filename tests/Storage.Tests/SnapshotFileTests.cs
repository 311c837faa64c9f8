using System.Security.Cryptography;
using Vectord.Hnsw;
using Vectord.Storage.Snapshots;

namespace Vectord.Storage.Tests;

/// <summary>The snapshot file format on its own: what is written reads back, and every kind of damage is caught by
/// the streaming check however the file is cut into chunks.</summary>
public sealed class SnapshotFileTests
{
    private static readonly IndexSpec Spec = new(6, 8, 40, IndexDistance.Euclidean, 2);

    private static HnswIndex Part(int seed, int count)
    {
        var index = new HnswIndex(new HnswOptions(6, DistanceKind.Euclidean, M: 8, EfSearch: 40));
        var random = new Random(seed);
        index.AddBatch([.. Enumerable.Range(0, count).Select(i => new VectorItem($"p{seed}-{i:D4}",
            [.. Enumerable.Range(0, 6).Select(_ => (random.NextSingle() * 2) - 1)],
            i % 3 == 0 ? null : System.Text.Encoding.UTF8.GetBytes($"{{\"i\":{i}}}")))]);
        return index;
    }

    private static (byte[] File, string Sha256, HnswIndex[] Parts) Written()
    {
        HnswIndex[] parts = [Part(1, 40), Part(2, 0), Part(3, 700)];
        using var output = new MemoryStream();
        var header = SnapshotHeader.Of("source", Spec, new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero), [.. parts.Select(p => p.Count)], "test-scheme");
        var (length, sha256) = SnapshotFile.Write(output, header, [.. parts.Select(p => (Action<Stream>)p.Save)]);
        Assert.Equal(output.Length, length);
        return (output.ToArray(), sha256, parts);
    }

    [Fact]
    public void Written_file_reads_back_part_by_part_and_reports_its_own_sha256()
    {
        var (file, sha256, parts) = Written();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), sha256);

        using var input = new MemoryStream(file);
        var header = SnapshotFile.ReadHeader(input);
        Assert.Equal(("source", "2026-12-02T18:00:00.000Z", 3), (header.Index, header.Created, header.Parts));
        Assert.Equal([40, 0, 700], header.Lengths);
        Assert.Equal(Spec with { Shards = 3, Replicas = 1 }, header.ToSpec(3));
        for (var p = 0; p < parts.Length; p++)
        {
            using var part = SnapshotFile.OpenPart(input);
            var loaded = HnswIndex.Load(part);
            Assert.Equal(parts[p].Count, loaded.Count);
            foreach (var id in parts[p].GetIds())
            {
                Assert.True(parts[p].TryGet(id, out var expected));
                Assert.True(loaded.TryGet(id, out var actual));
                Assert.Equal(expected.Vector, actual.Vector);
                Assert.Equal(expected.Metadata, actual.Metadata);
            }
        }
        Assert.Equal(file.Length - SnapshotFile.TrailerLength, input.Position);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(1 << 20)]
    public void Check_accepts_the_file_in_chunks_of_any_size(int chunk)
    {
        var (file, sha256, _) = Written();
        using var check = new SnapshotCheck();
        for (var at = 0; at < file.Length; at += chunk) { check.Append(file.AsSpan(at, Math.Min(chunk, file.Length - at))); }
        Assert.Equal(sha256, check.Finish());
        Assert.Equal(file.Length, check.Length);
    }

    [Fact]
    public void Check_refuses_a_truncated_file_wherever_it_was_cut()
    {
        var (file, _, _) = Written();
        foreach (var cut in new[] { 0, 5, 16, 100, file.Length / 2, file.Length - SnapshotFile.TrailerLength, file.Length - 1 })
        {
            using var check = new SnapshotCheck();
            check.Append(file.AsSpan(0, cut));
            var e = Assert.Throws<SnapshotFormatException>(() => check.Finish());
            Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_refuses_a_file_with_any_byte_changed_after_the_prefix()
    {
        var (file, _, _) = Written();
        foreach (var at in new[] { 20, file.Length / 3, file.Length - SnapshotFile.TrailerLength - 1, file.Length - 20 })
        {
            var damaged = (byte[])file.Clone();
            damaged[at] ^= 0x40;
            using var check = new SnapshotCheck();
            check.Append(damaged);
            var e = Assert.Throws<SnapshotFormatException>(() => check.Finish());
            Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_refuses_an_unknown_version_and_a_file_that_is_no_snapshot_as_soon_as_the_prefix_arrives()
    {
        var (file, _, _) = Written();
        var later = (byte[])file.Clone();
        later[8] = 2;
        using (var check = new SnapshotCheck())
        {
            check.Append(later.AsSpan(0, 10));
            var e = Assert.Throws<SnapshotFormatException>(() => check.Append(later.AsSpan(10, 10)));
            Assert.Equal("unknown snapshot version 2 (this server reads version 1)", e.Message);
        }
        using (var check = new SnapshotCheck())
        {
            var e = Assert.Throws<SnapshotFormatException>(() => check.Append("{\"not\":\"a snapshot\"}"u8));
            Assert.Contains("not a Vectord snapshot", e.Message, StringComparison.Ordinal);
        }
        Assert.Throws<SnapshotFormatException>(() => SnapshotFile.ReadHeader(new MemoryStream(later)));
    }

    [Fact]
    public void A_part_cut_short_inside_the_file_is_reported_when_read()
    {
        var (file, _, _) = Written();
        using var input = new MemoryStream(file.AsSpan(0, file.Length / 2).ToArray());
        SnapshotFile.ReadHeader(input);
        var e = Assert.Throws<SnapshotFormatException>(() =>
        {
            for (var p = 0; p < 3; p++)
            {
                using var part = SnapshotFile.OpenPart(input);
                part.CopyTo(Stream.Null);
            }
        });
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }
}
