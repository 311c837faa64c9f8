using System.Buffers.Binary;
using System.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>Save → load round trips, and every damaged input is rejected with <see cref="HnswFormatException"/>.</summary>
public sealed class PersistenceTests
{
    private const int Dim = 12;

    /// <summary>An index exercising everything the format holds: upper layers, tombstones, metadata null / empty / set.</summary>
    private static (HnswIndex Index, VectorItem[] Items) Sample(DistanceKind kind = DistanceKind.Euclidean)
    {
        float[][] vectors = TestData.Clustered(400, Dim, seed: 81);
        VectorItem[] items = vectors.Select((v, i) => new VectorItem($"item-{i}-é", v, (i % 3) switch
        {
            0 => null,
            1 => [],
            _ => Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"),
        })).ToArray();
        var index = new HnswIndex(new HnswOptions(Dim, kind, M: 8, EfConstruction: 50, EfSearch: 40, Seed: 5));
        index.AddBatch(items, 1);
        for (int i = 0; i < items.Length; i += 5)
        {
            index.Delete(items[i].Id);
        }
        return (index, items);
    }

    private static byte[] Save(HnswIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    private static HnswIndex Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return HnswIndex.Load(stream);
    }

    private static void AssertSameContents(HnswIndex expected, HnswIndex actual)
    {
        Assert.Equal(expected.Options, actual.Options);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.GetIds(), actual.GetIds());
        foreach (string id in expected.GetIds())
        {
            Assert.True(expected.TryGet(id, out VectorItem? a));
            Assert.True(actual.TryGet(id, out VectorItem? b));
            Assert.Equal(a.Vector, b.Vector);
            Assert.Equal(a.Metadata is null, b.Metadata is null);
            Assert.Equal(a.Metadata, b.Metadata);
        }
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Dot)]
    public void SaveThenLoadGivesIdenticalContentsAndSearchResults(DistanceKind kind)
    {
        (HnswIndex index, _) = Sample(kind);
        HnswIndex loaded = Load(Save(index));

        AssertSameContents(index, loaded);
        foreach (float[] q in TestData.Clustered(30, Dim, seed: 82))
        {
            TestData.AssertSameHits(index.Search(q, 10), loaded.Search(q, 10));
            TestData.AssertSameHits(index.Search(q, 25, ef: 100), loaded.Search(q, 25, ef: 100));
        }
        Assert.Equal(Save(index), Save(loaded));
    }

    [Fact]
    public void MetadataNullAndEmptyStayDistinct()
    {
        (HnswIndex index, VectorItem[] items) = Sample();
        HnswIndex loaded = Load(Save(index));
        Assert.True(loaded.TryGet(items[3].Id, out VectorItem? none));
        Assert.Null(none.Metadata);
        Assert.True(loaded.TryGet(items[1].Id, out VectorItem? empty));
        Assert.NotNull(empty.Metadata);
        Assert.Empty(empty.Metadata);
        Assert.True(loaded.TryGet(items[2].Id, out VectorItem? set));
        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(set.Metadata!));
        Assert.False(loaded.Contains(items[0].Id));
    }

    [Fact]
    public void LoadedIndexAcceptsWritesLikeTheOriginal()
    {
        (HnswIndex index, VectorItem[] items) = Sample();
        HnswIndex loaded = Load(Save(index));
        VectorItem[] more = TestData.Items(TestData.Clustered(50, Dim, seed: 83), "more-");
        index.AddBatch(more, 1);
        loaded.AddBatch(more, 1);
        index.Delete(items[7].Id);
        loaded.Delete(items[7].Id);
        AssertSameContents(index, loaded);
        foreach (float[] q in TestData.Clustered(10, Dim, seed: 84))
        {
            TestData.AssertSameHits(index.Search(q, 10), loaded.Search(q, 10));
        }
    }

    [Fact]
    public void AFrozenImageSavesTheIndexAsItWasWhenFrozenWhateverIsWrittenAfter()
    {
        (HnswIndex index, VectorItem[] items) = Sample();
        byte[] atFreeze = Save(index);
        HnswImage image = index.Freeze();
        Assert.Equal(index.Count, image.Count);

        // Later writes touch everything the image holds: tombstoned slots reused, links of old nodes rewired,
        // a vector and metadata replaced in place, deletes, and the arrays grown.
        index.AddBatch(TestData.Items(TestData.Clustered(1000, Dim, seed: 85), "later-"), 1);
        index.AddBatch([new VectorItem(items[2].Id, TestData.Clustered(1, Dim, seed: 86)[0], Encoding.UTF8.GetBytes("{\"n\":-1}"))], 1);
        index.Delete(items[4].Id);
        Assert.NotEqual(atFreeze, Save(index));

        using var stream = new MemoryStream();
        image.Save(stream);
        Assert.Equal(atFreeze, stream.ToArray());
        Assert.Equal(Save(Load(atFreeze)), atFreeze);
    }

    [Fact]
    public void EmptyIndexRoundTrips()
    {
        var empty = new HnswIndex(new HnswOptions(3, DistanceKind.Dot, EfSearch: 77));
        HnswIndex loaded = Load(Save(empty));
        Assert.Equal(0, loaded.Count);
        Assert.Equal(77, loaded.Options.EfSearch);
        Assert.Empty(loaded.Search([1, 2, 3], 3));
        loaded.AddBatch([new VectorItem("a", [1, 2, 3])]);
        Assert.Equal("a", loaded.Search([1, 2, 3], 3)[0].Id);
    }

    [Fact]
    public void AHeaderClaimingMoreSlotsThanTheInputHoldsIsRejectedBeforeAllocating()
    {
        var (index, _) = Sample();
        byte[] bytes = Save(index);
        // Header: "VHNSW", version, dimension, distance, M, efConstruction, efSearch, seed, slots, live, entry,
        // maxLevel (int32 little-endian), then the xxhash64 of those 49 bytes.
        const int HeaderLength = 5 + (11 * 4);
        const int SlotsOffset = 5 + (7 * 4);
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(0, HeaderLength)),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(HeaderLength)));
        Assert.Equal(index.Count + (index.Count / 4), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(SlotsOffset)));

        // A consistent header (valid checksum) that claims 20 million slots of 12 floats: about 1.6 GB to allocate.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(SlotsOffset), 20_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HeaderLength), System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(0, HeaderLength)));

        var e = Assert.Throws<HnswFormatException>(() => Load(bytes));
        Assert.Contains("claims 20000000 slots", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedFilesAreRejectedAtEveryCutPoint()
    {
        (HnswIndex index, _) = Sample();
        byte[] bytes = Save(index);
        var cuts = new SortedSet<int>();
        for (int cut = 0; cut < 200; cut++)
        {
            cuts.Add(cut);
        }
        for (int cut = 200; cut < bytes.Length; cut += 97)
        {
            cuts.Add(cut);
        }
        for (int cut = bytes.Length - 64; cut < bytes.Length; cut++)
        {
            cuts.Add(cut);
        }
        foreach (int cut in cuts)
        {
            var e = Assert.Throws<HnswFormatException>(() => Load(bytes[..cut]));
            Assert.Matches("truncated|shorter|checksum|footer", e.Message);
        }
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        byte[] bytes = Save(Sample().Index);
        var e = Assert.Throws<HnswFormatException>(() => Load([.. bytes, 0]));
        Assert.Contains("after the footer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BitFlipsInEverySectionAreRejected()
    {
        (HnswIndex index, _) = Sample();
        byte[] bytes = Save(index);
        List<(string Name, int Start, int End)> sections = Sections(bytes);
        Assert.Equal(["header", "ids", "metadata", "vectors", "graph", "footer"], sections.Select(s => s.Name));

        var random = new Random(91);
        foreach ((string name, int start, int end) in sections)
        {
            // Each section's first and last bytes (tag, length, checksum) and a sample of the payload.
            var positions = new SortedSet<int>();
            for (int p = start; p < Math.Min(end, start + 24); p++)
            {
                positions.Add(p);
            }
            for (int p = Math.Max(start, end - 12); p < end; p++)
            {
                positions.Add(p);
            }
            for (int s = 0; s < 40; s++)
            {
                positions.Add(random.Next(start, end));
            }
            foreach (int position in positions)
            {
                byte[] damaged = (byte[])bytes.Clone();
                damaged[position] ^= (byte)(1 << random.Next(8));
                var e = Assert.Throws<HnswFormatException>(() => Load(damaged));
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Matches("checksum|magic|version|tag|length|truncated|shorter|longer|footer", e.Message);
            }
        }
    }

    [Fact]
    public void BadMagicIsNamed()
    {
        byte[] bytes = Save(Sample().Index);
        bytes[0] = (byte)'X';
        var e = Assert.Throws<HnswFormatException>(() => Load(bytes));
        Assert.Equal("bad magic", e.Message);
        Assert.Throws<HnswFormatException>(() => Load("not an index at all"u8.ToArray()));
    }

    [Fact]
    public void UnsupportedVersionIsNamed()
    {
        byte[] bytes = Save(Sample().Index);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(5)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), 4);
        var e = Assert.Throws<HnswFormatException>(() => Load(bytes));
        Assert.Equal("unsupported format version 4", e.Message);
    }

    [Fact]
    public void ConsistentButInvalidContentIsRejected()
    {
        // A section whose checksum matches but whose content breaks an invariant: a link to a slot out of range.
        (HnswIndex index, _) = Sample();
        byte[] bytes = Save(index);
        (string _, int start, int end) = Sections(bytes).Single(s => s.Name == "graph");
        int payload = start + 9;
        int slots = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(5 + (4 * 7)));
        int firstBlock = payload + slots;
        Assert.True(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(firstBlock)) > 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(firstBlock + 4), slots + 5);
        RewriteChecksum(bytes, start, end);
        var e = Assert.Throws<HnswFormatException>(() => Load(bytes));
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Splits a saved image into header, the four sections and the footer, from the lengths it holds.</summary>
    internal static List<(string Name, int Start, int End)> Sections(byte[] bytes)
    {
        var list = new List<(string, int, int)>();
        int header = 5 + (4 * 11) + 8;
        list.Add(("header", 0, header));
        int position = header;
        foreach (string name in new[] { "ids", "metadata", "vectors", "graph" })
        {
            Assert.Equal(list.Count, bytes[position]);
            long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 1));
            int end = position + 9 + (int)length + 8;
            list.Add((name, position, end));
            position = end;
        }
        list.Add(("footer", position, bytes.Length));
        Assert.Equal(position + 4, bytes.Length);
        return list;
    }

    internal static void RewriteChecksum(byte[] bytes, int start, int end)
    {
        ulong hash = System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(start, end - 8 - start));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(end - 8), hash);
    }
}
