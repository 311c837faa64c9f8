using System.Text;
using Vectord.Hnsw.Filtering;
using Vectord.Hnsw.Text;

namespace Vectord.Hnsw.Tests.Text;

/// <summary>
/// An index with text fields scores its items by BM25 over the fields' words, keeps the text index with every write
/// (upserts, deletes, reused slots), answers "every word present" filters from it, rebuilds it from the metadata of
/// a loaded index, and scores exactly as BM25 is defined.
/// </summary>
public sealed class TextSearchTests
{
    private static readonly TextOptions s_body = new([new TextField("body")]);

    private static VectorItem Item(string id, string json, float x = 1) => new(id, [x, 1, 0], Encoding.UTF8.GetBytes(json));

    private static HnswIndex Index(TextOptions text, params VectorItem[] items)
    {
        var index = new HnswIndex(new HnswOptions(3, DistanceKind.Euclidean, Text: text));
        if (items.Length > 0) { index.AddBatch(items); }
        return index;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_score_arrays_kept_for_searches_are_counted_in_the_index_memory()
    {
        var index = Index(new TextOptions([new TextField("body")]),
            [.. Enumerable.Range(0, 5000).Select(i => Item($"d{i}", $$"""{"body":"common word{{i}}"}""", i))]);
        long before = index.TextMemoryBytes;
        Assert.Equal(10, Find(index, "common", 10).Length);   // scores every one of the 5,000 slots
        Assert.True(index.TextMemoryBytes - before >= 4 * 5000, $"{before} bytes before the search, {index.TextMemoryBytes} after");
    }

    private static TextHit[] Find(HnswIndex index, string query, int k, IReadOnlyList<string>? fields = null, PayloadFilter? filter = null) =>
        index.SearchText(query, k, fields, filter, Ct);

    private static string[] Ids(TextHit[] hits) => [.. hits.Select(h => h.Id)];

    [Fact]
    public void Scores_are_bm25_as_defined()
    {
        var index = Index(s_body,
            Item("a", """{"body":"apple apple banana"}"""),
            Item("b", """{"body":"apple cherry cherry cherry cherry"}"""),
            Item("c", """{"body":"banana"}"""),
            Item("d", """{"other":"apple"}"""));
        var hits = Find(index, "apple", 10);
        // N = 3 texts, average length (3 + 5 + 1) / 3 = 3; apple in 2 of them.
        double idf = Math.Log(1 + ((3 - 2 + 0.5) / (2 + 0.5)));
        static double Part(double idf, double tf, double length) => idf * tf * 2.2 / (tf + (1.2 * (0.25 + (0.75 * length / 3))));
        Assert.Equal(["a", "b"], Ids(hits));
        Assert.Equal(Part(idf, 2, 3), hits[0].Score, 1e-5);
        Assert.Equal(Part(idf, 1, 5), hits[1].Score, 1e-5);
        Assert.Equal("""{"body":"apple apple banana"}""", Encoding.UTF8.GetString(hits[0].Metadata!));

        var both = Find(index, "banana APPLE", 10);
        double bananaIdf = Math.Log(1 + ((3 - 2 + 0.5) / (2 + 0.5)));
        Assert.Equal(["a", "c", "b"], Ids(both));
        Assert.Equal(Part(idf, 2, 3) + Part(bananaIdf, 1, 3), both[0].Score, 1e-5);
        Assert.Equal(Part(bananaIdf, 1, 1), both[1].Score, 1e-5);
    }

    [Fact]
    public void K1_and_b_change_the_scores_as_bm25_says()
    {
        var flat = Index(new TextOptions([new TextField("body")], K1: 0.5, B: 0),
            Item("short", """{"body":"rust"}"""),
            Item("long", """{"body":"rust is a language with a long description of many words"}"""),
            Item("none", """{"body":"go"}"""));
        var hits = Find(flat, "rust", 10);
        Assert.Equal(2, hits.Length);
        Assert.Equal(hits[0].Score, hits[1].Score);   // b = 0: length does not count
        double idf = Math.Log(1 + ((3 - 2 + 0.5) / (2 + 0.5)));
        Assert.Equal(idf * 1.5 / (1 + 0.5), hits[0].Score, 1e-5);
        Assert.Equal("short", hits[0].Id);   // ties go to the lower slot
    }

    [Fact]
    public void A_rare_word_outweighs_a_common_one_and_a_shorter_text_wins_a_tie()
    {
        var items = Enumerable.Range(0, 50).Select(i => Item($"n{i}", """{"body":"common words here"}""")).ToList();
        items.Add(Item("rare", """{"body":"common zebra"}"""));
        items.Add(Item("rare-long", """{"body":"zebra with a much longer text around it"}"""));
        var index = Index(s_body, [.. items]);
        var hits = Find(index, "common zebra", 3);
        Assert.Equal(["rare", "rare-long"], Ids(hits)[..2]);
        Assert.StartsWith("n", hits[2].Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_fields_add_up_and_a_search_may_name_the_fields_it_uses()
    {
        var index = Index(new TextOptions([new TextField("title"), new TextField("body", TextLanguage.English)]),
            Item("t", """{"title":"Databases","body":"a text about storage"}"""),
            Item("b", """{"title":"Storage","body":"all about databases and indexing"}"""),
            Item("x", """{"title":"Other","body":"nothing here"}"""));
        Assert.Equal(["t"], Ids(Find(index, "databases", 10, ["title"])));
        Assert.Equal(["b"], Ids(Find(index, "database", 10, ["body"])));   // stemmed in body only
        Assert.Equal(["b", "t"], Ids(Find(index, "databases indexed", 10)).Order(StringComparer.Ordinal).ToArray());
        var error = Assert.Throws<ArgumentException>(() => Find(index, "x", 10, ["missing"]));
        Assert.Contains("'missing' is not a text field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_of_strings_and_nested_paths_are_text_and_other_values_are_not()
    {
        var index = Index(new TextOptions([new TextField("tags"), new TextField("doc.summary")]),
            Item("arr", """{"tags":["red fox","blue whale"]}"""),
            Item("nested", """{"doc":{"summary":"the red planet"}}"""),
            Item("number", """{"tags":42}"""));
        Assert.Equal(["arr"], Ids(Find(index, "whale", 10)));
        Assert.Equal(["arr", "nested"], Ids(Find(index, "red", 10)).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(Find(index, "42", 10));
    }

    [Fact]
    public void Upserts_deletes_and_reused_slots_keep_the_text_index_exact()
    {
        var index = Index(s_body, Item("a", """{"body":"alpha beta"}"""), Item("b", """{"body":"beta gamma"}"""));
        index.AddBatch([Item("a", """{"body":"delta"}""")]);
        Assert.Equal(["b"], Ids(Find(index, "beta", 10)));
        Assert.Empty(Find(index, "alpha", 10));
        Assert.Equal(["a"], Ids(Find(index, "delta", 10)));
        Assert.True(index.Delete("b"));
        Assert.Empty(Find(index, "beta gamma", 10));
        index.AddBatch([Item("c", """{"body":"gamma epsilon"}""")]);   // takes b's slot
        Assert.Equal(["c"], Ids(Find(index, "gamma", 10)));
        index.AddBatch([Item("a", """{"title":"no body"}""")]);
        Assert.Empty(Find(index, "delta", 10));
        Assert.Equal(1, index.CountMatching(new TextMatch("body", "epsilon"), Ct));
    }

    [Fact]
    public void A_filter_limits_a_text_search_and_match_text_needs_every_word()
    {
        var index = Index(s_body,
            Item("a", """{"body":"fast vector search","lang":"en"}"""),
            Item("b", """{"body":"fast text search","lang":"de"}"""),
            Item("c", """{"body":"slow vector search","lang":"en"}"""));
        Assert.Equal(["a"], Ids(Find(index, "fast", 10, filter: new ValueIn("lang", [PayloadValue.Of("en")]))));
        Assert.Equal(["a"], index.MatchingIds(new TextMatch("body", "Vector FAST"), Ct));
        Assert.Equal(["a", "c"], index.MatchingIds(new TextMatch("body", "search, vector"), Ct).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, index.CountMatching(new TextMatch("body", "vector missing"), Ct));
        Assert.Equal(0, index.CountMatching(new TextMatch("body", "  ,, "), Ct));
        Assert.Equal(0, index.CountMatching(new TextMatch("lang", "en"), Ct));   // not a text field
        Assert.Equal(1, index.CountMatching(new NotOf(new TextMatch("body", "search vector")), Ct));
        var hits = index.Search([1, 1, 0], 3, 0, new TextMatch("body", "vector"), Ct);
        Assert.Equal(["a", "c"], hits.Select(h => h.Id).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_loaded_index_gets_its_text_index_back_from_the_metadata()
    {
        var rng = new Random(5);
        string[] words = ["red", "green", "blue", "fox", "dog", "cat", "runs", "sleeps", "fast", "slow"];
        var items = Enumerable.Range(0, 300).Select(i => Item($"i{i}",
            $$"""{"body":"{{string.Join(' ', Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => words[rng.Next(words.Length)]))}}"}""", i)).ToArray();
        var index = Index(s_body, items);
        foreach (var id in items.Where((_, i) => i % 7 == 0).Select(i => i.Id)) { index.Delete(id); }
        using var stream = new MemoryStream();
        index.Save(stream);
        stream.Position = 0;
        var loaded = HnswIndex.Load(stream);
        Assert.Null(loaded.TextOptions);
        Assert.Throws<InvalidOperationException>(() => Find(loaded, "fox", 5));
        loaded.IndexText(s_body);
        Assert.Equal(s_body, loaded.TextOptions);
        foreach (var query in new[] { "fox", "red dog", "slow blue cat runs", "nothing" })
        {
            Assert.Equal(Find(index, query, 20), Find(loaded, query, 20), (x, y) => x.Id == y.Id && x.Score == y.Score);
        }
        Assert.True(loaded.TextMemoryBytes > 0);
        loaded.IndexText(null);
        Assert.Null(loaded.TextOptions);
        Assert.Equal(0, loaded.TextMemoryBytes);
    }

    [Theory]
    [InlineData("at least one text field is required")]
    [InlineData("text field 'a' is named twice")]
    [InlineData("bm25 b must be between 0 and 1")]
    [InlineData("bm25 k1 must be a finite number ≥ 0")]
    public void Invalid_text_options_are_refused(string problem)
    {
        TextOptions options = problem switch
        {
            "at least one text field is required" => new TextOptions([]),
            "text field 'a' is named twice" => new TextOptions([new TextField("a"), new TextField("a")]),
            "bm25 b must be between 0 and 1" => new TextOptions([new TextField("a")], B: 1.5),
            _ => new TextOptions([new TextField("a")], K1: double.NaN),
        };
        Assert.Equal(problem, options.Check());
        Assert.Throws<ArgumentException>(() => new HnswIndex(new HnswOptions(3, Text: options)));
    }
}
