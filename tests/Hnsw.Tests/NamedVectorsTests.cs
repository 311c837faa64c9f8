using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests;

/// <summary>An index with named vectors: each item carries one of each (the engine takes their concatenation), each
/// is searched in its own graph by its own distance, and writes, filters, saves, loads and followers keep the graphs
/// holding the same items.</summary>
public sealed class NamedVectorsTests
{
    private static readonly VectorSpaces Spaces = new([
        new VectorSpace("title", 4, DistanceKind.Euclidean),
        new VectorSpace("image", 3, DistanceKind.Cosine),
    ]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HnswIndex NewIndex() => new(HnswOptions.ForVectors(Spaces, m: 8, efConstruction: 64, efSearch: 200));

    private static float[] Title(int i) => [i, (i * 7) % 11, (i * 3) % 5, 1];

    private static float[] Image(int i) => [1 + (i % 4), (i * 5) % 9 + 1, (i % 3) - 1];

    private static VectorItem Item(int i) =>
        new($"i{i:D3}", Spaces.Concat([Title(i), Image(i)]), Encoding.UTF8.GetBytes($$"""{"i":{{i}}}"""));

    private static double Distance(DistanceKind kind, float[] a, float[] b)
    {
        if (kind == DistanceKind.Euclidean) { return a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum(); }
        double dot = a.Zip(b, (x, y) => (double)x * y).Sum();
        return 1 - (dot / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x)));
    }

    [Fact]
    public void Each_named_vector_is_searched_in_its_own_graph_by_its_own_distance()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 200).Select(Item)]);
        float[] title = [50, 3, 2, 1];
        float[] image = [2, 8, 0];
        var exact = Enumerable.Range(0, 200).Select(i => Math.Sqrt(Distance(DistanceKind.Euclidean, title, Title(i)))).Order().Take(5);
        Assert.Equal(exact, index.Search("title", title, 5, 200, null, Ct).Select(h => (double)h.Distance), DoubleComparer);
        var byImage = index.Search("image", image, 5, 200, null, Ct);
        Assert.Equal(Distance(DistanceKind.Cosine, image, Image(int.Parse(byImage[0].Id[1..], System.Globalization.CultureInfo.InvariantCulture))),
            byImage[0].Distance, 1e-5);
        Assert.All(byImage, h => Assert.Equal(Encoding.UTF8.GetBytes($$"""{"i":{{int.Parse(h.Id[1..], System.Globalization.CultureInfo.InvariantCulture)}}}"""), h.Metadata));
        Assert.Equal(index.Search("title", title, 5, 200, null, Ct), index.Search(title, 5, 200, null, Ct));
        Assert.Throws<ArgumentException>(() => index.Search("audio", image, 5, 0, null, Ct));
        Assert.Throws<ArgumentException>(() => index.Search("image", title, 5, 0, null, Ct));
    }

    [Fact]
    public void An_item_reads_back_with_each_vector_as_stored()
    {
        var index = NewIndex();
        index.AddBatch([Item(7)]);
        Assert.True(index.TryGet("i007", out var item));
        Assert.Equal(Title(7), Spaces.Segment(item.Vector, 0).ToArray());
        float[] image = Image(7);
        float norm = MathF.Sqrt(image.Sum(x => x * x));
        Assert.Equal(image.Select(x => x / norm), Spaces.Segment(item.Vector, 1).ToArray(), FloatComparer);
    }

    [Fact]
    public void A_bad_named_vector_refuses_the_whole_batch_naming_it()
    {
        var index = NewIndex();
        var bad = Item(2) with { Vector = Spaces.Concat([Title(2), [float.NaN, 1, 1]]) };
        Assert.Equal("items[1]: vectors.image: non-finite component at 0", Assert.Throws<ArgumentException>(() => index.AddBatch([Item(1), bad])).Message);
        Assert.Equal("items[0]: dim mismatch (index=7, got=4)", Assert.Throws<ArgumentException>(() => index.AddBatch([new VectorItem("x", Title(1))])).Message);
        var zero = Item(3) with { Vector = Spaces.Concat([Title(3), [0, 0, 0]]) };
        Assert.Equal("items[0]: vectors.image: zero vector under cosine distance", Assert.Throws<ArgumentException>(() => index.AddBatch([zero])).Message);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search("image", [1, 1, 1], 3, 0, null, Ct));
    }

    [Fact]
    public void Filters_upserts_deletes_and_reused_slots_keep_every_graph_on_the_same_items()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 100).Select(Item)]);
        foreach (int i in Enumerable.Range(0, 100).Where(i => i % 3 == 0))
        {
            Assert.True(index.Delete($"i{i:D3}"));
        }
        index.AddBatch([.. Enumerable.Range(100, 20).Select(Item)]);                     // into the freed slots
        index.AddBatch([Item(1) with { Vector = Spaces.Concat([Title(91), Image(91)]) }]);  // i001 now looks like i091
        var live = Enumerable.Range(0, 120).Where(i => i >= 100 || i % 3 != 0).ToArray();
        Assert.Equal(live.Length, index.Count);

        float[] image = [3, 4, -1];
        var low = new NumberRange("i", null, null, 50, null);
        var expected = live.Where(i => i < 50).OrderBy(i => Distance(DistanceKind.Cosine, image, i == 1 ? Image(91) : Image(i))).ThenBy(i => i).Take(4);
        var hits = index.Search("image", image, 4, 400, low, Ct);
        Assert.Equal(expected.Select(i => Distance(DistanceKind.Cosine, image, i == 1 ? Image(91) : Image(i))), hits.Select(h => (double)h.Distance), DoubleComparer);
        Assert.All(hits, h => Assert.True(live.Contains(int.Parse(h.Id[1..], System.Globalization.CultureInfo.InvariantCulture))));
        var title = index.Search("title", Title(91), 2, 400, null, Ct);
        Assert.Equal(["i001", "i091"], title.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.True(index.Delete("i091"));
        Assert.DoesNotContain(index.Search("image", Image(91), 200, 400, null, Ct), h => h.Id == "i091");
    }

    [Fact]
    public void Saved_and_loaded_it_answers_alike_and_saves_the_same_bytes()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 150).Select(Item)]);
        index.Delete("i010");
        index.AddBatch([Item(200)]);
        byte[] saved = Saved(index);
        using var frozen = new MemoryStream();
        index.Freeze().Save(frozen);
        Assert.Equal(saved, frozen.ToArray());

        var loaded = HnswIndex.Load(new MemoryStream(saved));
        Assert.Equal(index.Options, loaded.Options);
        Assert.Equal(saved, Saved(loaded));
        foreach (int q in new[] { 3, 77, 140 })
        {
            Assert.Equal(Hits(index.Search("image", Image(q), 6, 0, null, Ct)), Hits(loaded.Search("image", Image(q), 6, 0, null, Ct)));
            Assert.Equal(Hits(index.Search("title", Title(q), 6, 0, new NumberRange("i", 20, null, null, null), Ct)),
                Hits(loaded.Search("title", Title(q), 6, 0, new NumberRange("i", 20, null, null, null), Ct)));
        }
        Assert.True(loaded.TryGet("i200", out var item));
        Assert.True(index.TryGet("i200", out var original));
        Assert.Equal(original.Vector, item.Vector);
        Assert.Equal(HnswImageHeader.Read(saved.AsSpan(0, Math.Min(saved.Length, HnswImageHeader.MaxLength)), saved.Length).Options, index.Options);
    }

    [Fact]
    public void A_damaged_or_inconsistent_image_is_refused()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 20).Select(Item)]);
        byte[] saved = Saved(index);
        for (int at = 0; at < saved.Length; at += 37)
        {
            byte[] damaged = (byte[])saved.Clone();
            damaged[at] ^= 0x5A;
            Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(damaged)));
        }
        Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(saved[..^1])));
    }

    [Fact]
    public void A_follower_given_the_writers_links_holds_what_the_writer_holds()
    {
        var writer = NewIndex();
        // A follower that searched for neighbours itself would build other graphs with a beam this narrow: the same
        // graphs, every one of them, show that it took the writer's lists instead.
        var follower = new HnswIndex(HnswOptions.ForVectors(Spaces, m: 8, efConstruction: 8, efSearch: 200));
        for (int round = 0; round < 4; round++)
        {
            VectorItem[] batch = [.. Enumerable.Range(round * 50, 80).Select(Item)];
            writer.AddLogged(batch, out var changes);
            Assert.Single(changes.Companions);
            follower.AddLinked(batch, LinkChanges.FromBytes(changes.ToBytes()));
            writer.Delete($"i{round * 50:D3}");
            follower.Delete($"i{round * 50:D3}");
        }
        Assert.Equal(writer.GraphOutline(), follower.GraphOutline());
        foreach (int q in new[] { 5, 60, 150, 220 })
        {
            Assert.Equal(Hits(writer.Search("image", Image(q), 8, 0, null, Ct)), Hits(follower.Search("image", Image(q), 8, 0, null, Ct)));
            Assert.Equal(Hits(writer.Search("title", Title(q), 8, 0, null, Ct)), Hits(follower.Search("title", Title(q), 8, 0, null, Ct)));
        }
    }

    [Fact]
    public void Links_for_another_number_of_graphs_are_refused()
    {
        var writer = NewIndex();
        VectorItem[] batch = [.. Enumerable.Range(0, 10).Select(Item)];
        writer.AddLogged(batch, out var changes);
        var single = new HnswIndex(new HnswOptions(7, DistanceKind.Euclidean, M: 8));
        Assert.Throws<InvalidDataException>(() => single.AddLinked([.. Enumerable.Range(0, 10).Select(i => new VectorItem($"i{i:D3}", new float[7]))],
            LinkChanges.FromBytes(changes.ToBytes())));
        byte[] bytes = changes.ToBytes();
        Assert.Throws<InvalidDataException>(() => LinkChanges.FromBytes(bytes.AsSpan(0, bytes.Length - 4)));
    }

    [Fact]
    public void A_filtered_search_by_another_vector_is_filtered_by_the_first_graphs_payload_and_words()
    {
        var index = new HnswIndex(HnswOptions.ForVectors(Spaces, m: 8, efConstruction: 64, efSearch: 200,
            text: new Vectord.Hnsw.Text.TextOptions([new Vectord.Hnsw.Text.TextField("body")])));
        index.AddBatch([.. Enumerable.Range(0, 120).Select(i => Item(i) with
            { Metadata = Encoding.UTF8.GetBytes($$"""{"i":{{i}},"body":"{{(i % 3 == 0 ? "red fox" : "blue owl")}}"}""") })]);
        var foxes = index.Search("image", Image(10), 200, 400, new TextMatch("body", "fox"), Ct);
        Assert.Equal(40, foxes.Length);
        Assert.All(foxes, h => Assert.Equal(0, int.Parse(h.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 3));
        var owls = index.Search("image", Image(10), 200, 400, new NotOf(new TextMatch("body", "fox")), Ct);
        Assert.Equal(80, owls.Length);
        var few = index.Search("image", Image(10), 5, 400, new AllOf([new TextMatch("body", "fox"), new NumberRange("i", null, null, 7, null)]), Ct);
        Assert.Equal(["i000", "i003", "i006"], few.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.All(few, h => Assert.NotNull(h.Metadata));
    }

    [Fact]
    public async Task Reads_beside_one_writer_find_an_item_with_all_its_vectors_or_not_at_all()
    {
        var index = NewIndex();
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reader = Task.Run(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                foreach (string id in index.GetIds())
                {
                    if (index.TryGet(id, out var item) && Spaces.Segment(item.Vector, 1).ToArray().All(x => x == 0))
                    {
                        failures.Enqueue($"{id} read without its image vector");
                    }
                }
            }
        }, Ct);
        for (int batch = 0; batch < 40; batch++)
        {
            index.AddBatch([.. Enumerable.Range(batch * 50, 50).Select(Item)], 1);
            index.Delete($"i{batch * 50:D3}");
        }
        stop.Cancel();
        await reader;
        Assert.Empty(failures);
        Assert.Equal(40 * 49, index.Count);
    }

    [Fact]
    public void An_image_whose_named_vector_is_itself_of_named_vectors_is_refused()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 5).Select(Item)]);
        byte[] saved = Saved(index);
        // The header's first image starts after "VHNSW", the version and the spaces; put a version-3 header there.
        int first = saved.AsSpan(5).IndexOf("VHNSW"u8) + 5;
        byte[] nested = [.. saved[..first], .. saved[..first], .. saved[first..]];
        Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(nested)));
        Assert.Throws<ArgumentException>(() => new VectorSpaces([new VectorSpace("a", int.MaxValue), new VectorSpace("b", 5)]));
    }

    private static string[] Hits(SearchHit[] hits) =>
        [.. hits.Select(h => $"{h.Id} {h.Distance} {(h.Metadata is null ? "-" : Encoding.UTF8.GetString(h.Metadata))}")];

    [Fact]
    public void Its_memory_counts_each_graph_and_the_metadata_once()
    {
        var named = NewIndex();
        named.AddBatch([.. Enumerable.Range(0, 500).Select(i => Item(i) with { Metadata = new byte[2000] })]);
        var first = new HnswIndex(new HnswOptions(4, DistanceKind.Euclidean, M: 8, EfConstruction: 64, EfSearch: 200));
        first.AddBatch([.. Enumerable.Range(0, 500).Select(i => new VectorItem($"i{i:D3}", Title(i), new byte[2000]))]);
        long extra = named.MemoryBytes - first.MemoryBytes;
        Assert.True(extra > 0 && extra < 500 * 2000, $"the second vector adds {extra} bytes");
    }

    private static byte[] Saved(HnswIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    private static readonly IEqualityComparer<float> FloatComparer = EqualityComparer<float>.Create((a, b) => Math.Abs(a - b) <= 1e-6f, _ => 0);

    private static readonly IEqualityComparer<double> DoubleComparer = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= 1e-5, _ => 0);
}
