using System.Text;
using Vectord.Testing;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// An index whose vectors are in a mapped file answers exactly as the same index on the heap, saves the same bytes,
/// takes the vectors off the heap, and refuses to hand on vectors its file no longer holds.
/// </summary>
public sealed class VectorFileTests : IDisposable
{
    private const int Dim = 20;
    private readonly TempDirectory _directory = new("vectors");

    public void Dispose() => _directory.Dispose();

    /// <summary>The same writes on the heap and in a file: many growths, replacements, deletes and reused tombstones.</summary>
    private (HnswIndex Heap, HnswIndex File, VectorItem[] Items) Pair(DistanceKind kind, QuantizationKind quantization, string file = "part.vectors")
    {
        float[][] vectors = TestData.Clustered(1500, Dim, seed: 31);
        float[][] replacements = TestData.Clustered(200, Dim, seed: 32);
        VectorItem[] items = [.. vectors.Select((v, i) => new VectorItem($"v{i}", v, i % 2 == 0 ? Encoding.UTF8.GetBytes($"{{\"i\":{i}}}") : null))];
        var options = new HnswOptions(Dim, kind, M: 8, EfConstruction: 60, Quantization: quantization);
        var heap = new HnswIndex(options);
        var mapped = new HnswIndex(options, _directory.Combine(file));
        foreach (var index in new[] { heap, mapped })
        {
            for (int b = 0; b < items.Length; b += 100) { index.AddBatch(items[b..(b + 100)], 1); }
            index.AddBatch([.. replacements.Select((v, i) => new VectorItem($"v{i * 7}", v))], 1);
            for (int i = 0; i < items.Length; i += 9) { index.Delete(items[i].Id); }
            index.AddBatch([.. replacements.Take(50).Select((v, i) => new VectorItem($"n{i}", v))], 1);
        }
        return (heap, mapped, items);
    }

    private static byte[] Save(HnswIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    private static byte[] Save(HnswImage image)
    {
        using var stream = new MemoryStream();
        image.Save(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean, QuantizationKind.None)]
    [InlineData(DistanceKind.Cosine, QuantizationKind.Int8)]
    [InlineData(DistanceKind.Dot, QuantizationKind.Int8)]
    public void A_file_index_answers_and_saves_exactly_as_the_heap_index(DistanceKind kind, QuantizationKind quantization)
    {
        var (heap, mapped, _) = Pair(kind, quantization);
        Assert.Null(heap.VectorFile);
        Assert.Equal(_directory.Combine("part.vectors"), mapped.VectorFile);
        Assert.Equal(quantization == QuantizationKind.Int8, mapped.IsQuantized);
        Assert.Equal(heap.GetIds(), mapped.GetIds());
        foreach (float[] query in TestData.Clustered(40, Dim, seed: 33))
        {
            Assert.Equal(heap.Search(query, 10, 40), mapped.Search(query, 10, 40));
        }
        foreach (string id in heap.GetIds().Take(100))
        {
            Assert.True(mapped.TryGet(id, out var item));
            Assert.True(heap.TryGet(id, out var expected));
            Assert.Equal(expected.Vector, item.Vector);
        }
        byte[] saved = Save(heap);
        Assert.Equal(saved, Save(mapped));
        Assert.Equal(saved, Save(mapped.Freeze()));
        // The file holds the vectors: a slot's row is where the index put it.
        Assert.True(new FileInfo(mapped.VectorFile!).Length >= 4L * Dim * mapped.Count);

        // Loaded into a new file, the index is the same again.
        using var input = new MemoryStream(saved, writable: false);
        var loaded = HnswIndex.Load(input, _directory.Combine("loaded.vectors"));
        Assert.Equal(_directory.Combine("loaded.vectors"), loaded.VectorFile);
        Assert.Equal(saved, Save(loaded));
        foreach (float[] query in TestData.Clustered(10, Dim, seed: 35))
        {
            Assert.Equal(heap.Search(query, 10, 40).Select(h => (h.Id, h.Distance)), loaded.Search(query, 10, 40).Select(h => (h.Id, h.Distance)));
        }
    }

    [Fact]
    public void The_vectors_leave_the_heap()
    {
        var (heap, mapped, _) = Pair(DistanceKind.Euclidean, QuantizationKind.Int8);
        long floats = 4L * Dim * heap.Count;
        Assert.True(heap.MemoryBytes - mapped.MemoryBytes > floats,
            $"heap index {heap.MemoryBytes} B, file index {mapped.MemoryBytes} B: the {floats} B of floats did not leave the heap");
    }

    [Fact]
    public void A_damaged_file_is_refused_by_gets_saves_and_freezes_and_the_state_saved_before_loads_whole()
    {
        var (heap, mapped, _) = Pair(DistanceKind.Euclidean, QuantizationKind.Int8);
        byte[] good = Save(mapped);
        string victim = mapped.GetIds()[10];
        Assert.True(mapped.TryGet(victim, out var before));

        // Another process writes into the file under the running index: the row of slot 10 (ids are in slot order).
        using (var file = new FileStream(mapped.VectorFile!, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Position = 4L * Dim * SlotOf(mapped, victim);
            file.Write(new byte[4 * Dim]);
        }

        var damaged = Assert.Throws<VectorFileDamagedException>(() => mapped.TryGet(victim, out _));
        Assert.Contains(mapped.VectorFile!, damaged.Message, StringComparison.Ordinal);
        Assert.Throws<VectorFileDamagedException>(() => Save(mapped));
        Assert.Throws<VectorFileDamagedException>(() => mapped.Freeze());

        // What was saved before the damage is whole: loaded into a fresh file, it has the vector again.
        using var input = new MemoryStream(good, writable: false);
        var rebuilt = HnswIndex.Load(input, mapped.VectorFile);
        Assert.True(rebuilt.TryGet(victim, out var after));
        Assert.Equal(before.Vector, after.Vector);
        Assert.Equal(good, Save(rebuilt));
    }

    [Fact]
    public void A_deleted_file_leaves_the_running_index_whole()
    {
        var (heap, mapped, items) = Pair(DistanceKind.Cosine, QuantizationKind.None);
        File.Delete(mapped.VectorFile!);
        // Still mapped: searches, gets, growth and saves go on with the vectors written.
        var more = TestData.Clustered(2000, Dim, seed: 34).Select((v, i) => new VectorItem($"m{i}", v)).ToArray();
        heap.AddBatch(more, 1);
        mapped.AddBatch(more, 1);
        Assert.Equal(Save(heap), Save(mapped));
        Assert.True(mapped.TryGet(items[1].Id, out var item));
        Assert.True(heap.TryGet(items[1].Id, out var expected));
        Assert.Equal(expected.Vector, item.Vector);
    }

    /// <summary>The slot of an id: live ids are listed in slot order, so its rank among all slots is found by
    /// counting the tombstones before it, which <see cref="HnswIndex.GetIds"/> skips.</summary>
    private static int SlotOf(HnswIndex index, string id)
    {
        // Items v0, v9, v18, … were deleted and their slots reused by n0, n1, … in slot order; every other slot keeps
        // the item first written to it. The first 100 slots hold v0..v99 or their reusers, so v-ids below 100 sit at
        // their number.
        Assert.StartsWith("v", id, StringComparison.Ordinal);
        int slot = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(slot < 100);
        Assert.True(index.Contains(id));
        return slot;
    }
}
