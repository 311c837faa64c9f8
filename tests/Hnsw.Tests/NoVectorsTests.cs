using System.Text;
using Vectord.Hnsw.Filtering;
using Vectord.Hnsw.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>An index of dimension 0: items carry an id and metadata only; it has no graph, takes no vector and no
/// query vector, and is read by id, by filter and by words.</summary>
public sealed class NoVectorsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HnswIndex NewIndex() =>
        new(new HnswOptions(0, M: 4, Text: new TextOptions([new TextField("body")])));

    private static VectorItem Item(int i) =>
        new($"n{i:D2}", [], Encoding.UTF8.GetBytes($$"""{"i":{{i}},"body":"word{{i % 3}} common"}"""));

    [Fact]
    public void Items_are_kept_by_id_with_their_metadata_and_no_vector()
    {
        var index = NewIndex();
        Assert.False(index.HasVectors);
        Assert.Equal(20, index.AddBatch([.. Enumerable.Range(0, 20).Select(Item)]));
        Assert.Equal(20, index.Count);
        Assert.True(index.TryGet("n07", out var item));
        Assert.Empty(item.Vector);
        Assert.Equal("""{"i":7,"body":"word1 common"}""", Encoding.UTF8.GetString(item.Metadata!));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"n{i:D2}"), index.GetIds());
    }

    [Fact]
    public void A_vector_given_to_it_refuses_the_whole_batch()
    {
        var index = NewIndex();
        var problem = Assert.Throws<ArgumentException>(() => index.AddBatch([Item(0), new VectorItem("v", [1f, 2f])]));
        Assert.Equal($"items[1]: {HnswOptions.NoVectors}", problem.Message);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void A_search_by_vector_is_refused_even_an_empty_one_and_with_a_filter()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 5).Select(Item)]);
        Assert.StartsWith(HnswOptions.NoVectors, Assert.Throws<ArgumentException>(() => index.Search([], 3)).Message);
        Assert.StartsWith(HnswOptions.NoVectors, Assert.Throws<ArgumentException>(() => index.Search([], 3, 0, new IsNull("x"), Ct)).Message);
        Assert.Equal(HnswOptions.NoVectors, new HnswOptions(0).CheckQuery([]));
        Assert.Null(new HnswOptions(0).CheckVector([]));
    }

    [Fact]
    public void Filters_order_and_words_find_the_items()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 20).Select(Item)]);
        var low = new NumberRange("i", null, null, 5, null);
        Assert.Equal(5, index.CountMatching(low, Ct));
        Assert.Equal(["n00", "n01", "n02", "n03", "n04"], index.MatchingIds(low, Ct).Order(StringComparer.Ordinal));
        Assert.Equal(["n19", "n18", "n17"], index.OrderedIds(null, [new SortKey("i", Descending: true)], 3, Ct));
        var hits = index.SearchText("word2", 100, cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 3 == 2).Select(i => $"n{i:D2}").Order(StringComparer.Ordinal),
            hits.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Replacing_deleting_and_reusing_slots_keep_metadata_and_words_right()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 10).Select(Item)]);
        Assert.True(index.Delete("n03"));
        Assert.True(index.Delete("n04"));
        index.AddBatch([new VectorItem("n05", [], """{"i":50,"body":"fresh"}"""u8.ToArray()), new VectorItem("x1", [], null)]);
        Assert.Equal(9, index.Count);
        Assert.Equal(["n05"], index.SearchText("fresh", 10, cancellationToken: Ct).Select(h => h.Id));
        Assert.DoesNotContain(index.SearchText("word2", 10, cancellationToken: Ct), h => h.Id == "n05");
        Assert.True(index.TryGet("x1", out var bare));
        Assert.Null(bare.Metadata);
        Assert.False(index.Contains("n03"));
    }

    [Fact]
    public void Saved_and_loaded_it_holds_the_same_items_and_saves_the_same_bytes()
    {
        var index = NewIndex();
        index.AddBatch([.. Enumerable.Range(0, 12).Select(Item)]);
        index.Delete("n05");
        using var first = new MemoryStream();
        index.Save(first);
        first.Position = 0;
        var loaded = HnswIndex.Load(first);
        Assert.Equal(0, loaded.Options.Dimension);
        Assert.Equal(index.GetIds(), loaded.GetIds());
        using var second = new MemoryStream();
        loaded.Save(second);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void It_cannot_be_quantized_or_kept_in_a_vector_file()
    {
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(0, Quantization: QuantizationKind.Int8)));
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(0), Path.Combine(Path.GetTempPath(), "never.vec")));
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(-1)));
    }

    [Fact]
    public void Its_memory_holds_no_graph()
    {
        var index = new HnswIndex(new HnswOptions(0, M: 16));
        index.AddBatch([.. Enumerable.Range(0, 1000).Select(i => new VectorItem($"id{i:D4}", [], null))]);
        var withVectors = new HnswIndex(new HnswOptions(1, M: 16));
        withVectors.AddBatch([.. Enumerable.Range(0, 1000).Select(i => new VectorItem($"id{i:D4}", [i + 1f], null))]);
        Assert.True(index.MemoryBytes < withVectors.MemoryBytes, $"{index.MemoryBytes} vs {withVectors.MemoryBytes}");
    }
}
