using System.Buffers.Binary;

namespace Vectord.Hnsw.Tests;

/// <summary>A stored vector the rule refuses (written before the rule did) quarantines its item at load: the rest of
/// the index loads and answers, the item is counted, hidden from every read, and can be deleted or replaced.</summary>
public sealed class QuarantineTests
{
    private const int Dim = 8;
    private const int EntryOffset = 5 + (4 * 9);

    private static (HnswIndex Index, float[][] Vectors) Sample(DistanceKind kind)
    {
        float[][] vectors = TestData.Clustered(300, Dim, seed: 17);
        var index = new HnswIndex(new HnswOptions(Dim, kind, M: 8, EfConstruction: 60, EfSearch: 60));
        index.AddBatch(vectors.Select((v, i) => new VectorItem($"v{i}", v, "{\"keep\":true}"u8.ToArray())).ToArray(), 1);
        return (index, vectors);
    }

    /// <summary>The saved image with the given slots' vectors overwritten by <paramref name="value"/>, checksums
    /// made consistent again, as an index saved before the rule would hold them.</summary>
    private static byte[] Damaged(HnswIndex index, float value, out int entry, params int[] slots)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        byte[] bytes = stream.ToArray();
        entry = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(EntryOffset));
        (string _, int start, int end) = PersistenceTests.Sections(bytes).Single(s => s.Name == "vectors");
        foreach (int slot in slots.Append(entry))
        {
            for (int i = 0; i < Dim; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(start + 9 + (4 * ((slot * Dim) + i))), value);
            }
        }
        PersistenceTests.RewriteChecksum(bytes, start, end);
        return bytes;
    }

    private static HnswIndex Load(byte[] bytes) => HnswIndex.Load(new MemoryStream(bytes));

    [Theory]
    [InlineData(DistanceKind.Cosine, float.PositiveInfinity)]
    [InlineData(DistanceKind.Euclidean, float.NaN)]
    [InlineData(DistanceKind.Dot, 3e38f)]
    public void ABadSlotIsQuarantinedAndTheRestAnswers(DistanceKind kind, float bad)
    {
        (HnswIndex saved, float[][] vectors) = Sample(kind);
        byte[] bytes = Damaged(saved, bad, out int entry, 7, 150);
        string[] badIds = new[] { 7, 150, entry }.Distinct().Select(s => $"v{s}").Order(StringComparer.Ordinal).ToArray();

        HnswIndex index = Load(bytes);
        Assert.Equal(badIds.Length, index.QuarantinedCount);
        Assert.Equal(badIds, index.QuarantinedIds());
        Assert.Equal(300 - badIds.Length, index.Count);
        Assert.Equal(300 - badIds.Length, index.GetIds().Count);
        Assert.All(badIds, id => Assert.True(index.Contains(id)));
        Assert.All(badIds, id => Assert.False(index.TryGet(id, out _)));
        for (int q = 0; q < 300; q += 13)
        {
            SearchHit[] hits = index.Search(vectors[q], 10);
            Assert.Equal(10, hits.Length);
            Assert.All(hits, h => Assert.True(float.IsFinite(h.Distance)));
            Assert.DoesNotContain(hits, h => badIds.Contains(h.Id));
        }
        Assert.Equal(300 - badIds.Length, index.CountMatching(null, TestContext.Current.CancellationToken));

        // Saved and loaded again, the quarantine holds; a delete by id ends it, an add under the id replaces it.
        using (var again = new MemoryStream())
        {
            index.Save(again);
            index = Load(again.ToArray());
        }
        Assert.Equal(badIds, index.QuarantinedIds());
        Assert.True(index.Delete(badIds[0]));
        Assert.False(index.Contains(badIds[0]));
        index.AddBatch([new VectorItem(badIds[1], vectors[1])]);
        Assert.True(index.TryGet(badIds[1], out _));
        Assert.Equal(badIds.Length - 2, index.QuarantinedCount);
        SearchHit[] near = index.Search(vectors[1], 3);
        Assert.True(near.Any(h => h.Id == badIds[1]), string.Join(", ", near.Select(h => $"{h.Id}={h.Distance}")));
    }

    [Fact]
    public void AnIndexWhoseEveryItemIsQuarantinedLoadsEmptyAndTakesNewItems()
    {
        var saved = new HnswIndex(new HnswOptions(Dim, DistanceKind.Cosine));
        saved.AddBatch([new VectorItem("a", [1, 0, 0, 0, 0, 0, 0, 0]), new VectorItem("b", [0, 1, 0, 0, 0, 0, 0, 0])]);
        HnswIndex index = Load(Damaged(saved, float.NaN, out _, 0, 1));
        Assert.Equal(0, index.Count);
        Assert.Equal(["a", "b"], index.QuarantinedIds());
        Assert.Empty(index.Search([1, 0, 0, 0, 0, 0, 0, 0], 3));
        Assert.True(index.Delete("a"));
        index.AddBatch([new VectorItem("c", [0, 0, 1, 0, 0, 0, 0, 0])]);
        Assert.Equal("c", index.Search([0, 0, 1, 0, 0, 0, 0, 0], 3).Single().Id);
        Assert.True(index.Delete("b"));
        Assert.Equal(0, index.QuarantinedCount);
    }

    [Fact]
    public void ALoggedItemTheRuleNowRefusesIsQuarantinedNotTheBatch()
    {
        var index = new HnswIndex(new HnswOptions(3, DistanceKind.Euclidean));
        index.AddBatch([new VectorItem("huge", [1, 1, 1])]);
        int applied = index.AddLogged([new VectorItem("a", [1, 2, 3]), new VectorItem("huge", [3e38f, 0, 0]), new VectorItem("b", [3, 2, 1])]);
        Assert.Equal(3, applied);
        Assert.Equal(2, index.Count);
        Assert.Equal(["huge"], index.QuarantinedIds());
        Assert.False(index.TryGet("huge", out _));
        Assert.Equal(["a", "b"], index.Search([1, 2, 3], 5).Select(h => h.Id));

        using var stream = new MemoryStream();
        index.Save(stream);
        HnswIndex loaded = Load(stream.ToArray());
        Assert.Equal(["huge"], loaded.QuarantinedIds());
        Assert.True(loaded.Delete("huge"));
        Assert.Equal(0, loaded.QuarantinedCount);
    }
}
