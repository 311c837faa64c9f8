namespace Vectord.Grains.Tests;

/// <summary>An index with named vectors over grain calls: items carry one of each, searches name the vector they use,
/// and every path an item takes (writes, reads, filters, hybrid search, reload from log and snapshot, shards and
/// copies, export and restore, merge) keeps them; what breaks the rules is refused and changes nothing.</summary>
[Collection(FileCluster.Name)]
public sealed class NamedVectorIndexTests(FileClusterFixture fixture)
{
    private static readonly NamedVector[] Vectors =
    [
        new("title", 4, IndexDistance.Euclidean),
        new("image", 3, IndexDistance.Cosine, IndexQuantization.Int8),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    private static float[] Title(int i) => [i, i % 7, (i * 3) % 5, 1];

    private static float[] Image(int i) => [1 + (i % 5), 1 + ((i * 7) % 9), (i % 4) - 1.5f];

    private static IndexItem Item(int i) => new($"doc-{i:D3}", [], $$"""{"n":{{i}},"body":"{{(i % 2 == 0 ? "even" : "odd")}} doc"}""",
        new() { ["title"] = Title(i), ["image"] = Image(i) });

    private static IndexItem[] Items(int count, int from = 0) => [.. Enumerable.Range(from, count).Select(Item)];

    private async Task<IVectorIndexGrain> CreatedAsync(string name, int shards = 0, int replicas = 0)
    {
        var grain = Index(name);
        var info = await grain.CreateAsync(new IndexSpec(0, Shards: shards, Replicas: replicas, Vectors: Vectors, TextFields: [new IndexTextField("body")]));
        Assert.Equal(Vectors, info.Vectors);
        Assert.Equal((0, IndexDistance.Euclidean), (info.Dimension, info.Distance));
        return grain;
    }

    [Fact]
    public async Task Items_carry_each_named_vector_and_a_search_uses_the_one_it_names()
    {
        var grain = await CreatedAsync(TestData.Name("named"));
        await grain.AddAsync(Items(60));

        var item = await grain.GetItemAsync("doc-007");
        Assert.NotNull(item?.Vectors);
        Assert.Empty(item.Vector);
        Assert.Equal(Title(7), item.Vectors["title"]);
        Assert.Equal(3, item.Vectors["image"].Length);

        var byTitle = await grain.SearchAsync(new SearchQuery(Title(42), K: 1, Using: "title"), Ct);
        Assert.Equal(("doc-042", 0f), (byTitle[0].Id, byTitle[0].Distance));
        var byImage = await grain.SearchAsync(new SearchQuery(Image(13), K: 3, Ef: 200, Using: "image"), Ct);
        Assert.Contains(byImage, h => h.Id == "doc-013" && Math.Abs(h.Distance) < 1e-5);   // the query itself: cosine 0, rescored exactly
        Assert.Equal(byImage.Select(h => h.Distance).Order(), byImage.Select(h => h.Distance));

        var filtered = await grain.SearchAsync(new SearchQuery(Title(42), K: 3, Using: "title", Filter: ItemFilter.All(new RangeCondition("n", Lt: 10))), Ct);
        Assert.Equal(["doc-009", "doc-008", "doc-007"], filtered.Select(h => h.Id));
        var hybrid = await grain.SearchAsync(new SearchQuery(Title(42), K: 3, Using: "title", Text: new TextQuery("odd")), Ct);
        Assert.Equal(3, hybrid.Length);
        var words = await grain.SearchAsync(new SearchQuery([], K: 100, Text: new TextQuery("even")), Ct);
        Assert.Equal(30, words.Length);
        var page = await grain.QueryItemsAsync(new ItemQuery(Limit: 2, IncludeVectors: true, OrderBy: [new OrderKey("n", Descending: true)]), Ct);
        Assert.Equal(Title(59), page.Items[0].Vectors!["title"]);
    }

    public static TheoryData<int, string> BadItems => new()
    {
        { 0, "items[1]: vectors.image is required" },
        { 1, "items[1]: vectors: the index has no vector named 'audio' (title, image)" },
        { 2, "items[1]: vectors.title: dim mismatch (index=4, got=3)" },
        { 3, "items[1]: vector: the index has named vectors (title, image): give them in vectors" },
        { 4, "items[1]: vectors is required (title, image)" },
        { 5, "items[1]: vectors.image: zero vector under cosine distance" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task A_bad_item_refuses_the_batch_naming_the_vector(int bad, string expected)
    {
        var grain = await CreatedAsync(TestData.Name("named-bad"));
        var item = Item(1);
        item = bad switch
        {
            0 => item with { Vectors = new() { ["title"] = Title(1) } },
            1 => item with { Vectors = new(item.Vectors!) { ["audio"] = [1f] } },
            2 => item with { Vectors = new() { ["title"] = [1f, 2f, 3f], ["image"] = Image(1) } },
            3 => item with { Vector = Title(1) },
            4 => item with { Vectors = null },
            _ => item with { Vectors = new() { ["title"] = Title(1), ["image"] = [0f, 0f, 0f] } },
        };
        var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.AddAsync([Item(0), item]));
        Assert.Equal(expected, refused.Message);
        Assert.Equal(0, (await grain.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task A_search_names_a_vector_of_the_index_and_fits_it()
    {
        var grain = await CreatedAsync(TestData.Name("named-using"));
        await grain.AddAsync(Items(5));
        async Task<string> Refused(SearchQuery query) => (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync(query, Ct))).Message;
        Assert.Equal("using is required: the index has named vectors (title, image)", await Refused(new SearchQuery(Title(1))));
        Assert.Equal("using: the index has no vector named 'audio' (title, image)", await Refused(new SearchQuery(Title(1), Using: "audio")));
        Assert.Equal("vector: dim mismatch (index=3, got=4)", await Refused(new SearchQuery(Title(1), Using: "image")));
        var plain = Index(TestData.Name("plain-using"));
        await plain.CreateAsync(new IndexSpec(4));
        Assert.Equal("using: the index has no named vectors",
            (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => plain.SearchAsync(new SearchQuery(Title(1), Using: "title"), Ct))).Message);
    }

    public static TheoryData<int, string> BadSpecs => new()
    {
        { 0, "dimension and vectors are exclusive: give one" },
        { 1, "vectors: 'a' is named twice" },
        { 2, "vectors: a vector name is 1-64 characters of A-Z a-z 0-9 _ -, the first a letter or digit" },
        { 3, "vectors.a: dimension must be between 1 and 65536" },
        { 4, "on_disk is not served for named vectors: they are kept in memory" },
        { 5, "vectors: their dimensions add up to 70000, more than 65536" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task A_bad_set_of_named_vectors_is_refused(int bad, string expected)
    {
        var spec = bad switch
        {
            0 => new IndexSpec(3, Vectors: [new("a", 3)]),
            1 => new IndexSpec(0, Vectors: [new("a", 3), new("a", 2)]),
            2 => new IndexSpec(0, Vectors: [new("a b", 3)]),
            3 => new IndexSpec(0, Vectors: [new("a", 0)]),
            4 => new IndexSpec(0, OnDisk: true, Vectors: [new("a", 3)]),
            _ => new IndexSpec(0, Vectors: [new("a", 35_000), new("b", 35_000)]),
        };
        var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => Index(TestData.Name("named-spec")).CreateAsync(spec));
        Assert.Equal(expected, refused.Message);
    }

    [Fact]
    public async Task Its_items_survive_a_reload_from_the_log_and_from_a_snapshot()
    {
        var name = TestData.Name("named-reload");
        var grain = await CreatedAsync(name);
        await grain.AddAsync(Items(40));
        await grain.DeleteAsync(["doc-004"]);
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(39, (await grain.GetInfoAsync()).Length);
        Assert.Equal("doc-021", (await grain.SearchAsync(new SearchQuery(Title(21), K: 1, Using: "title"), Ct))[0].Id);

        await grain.CreateSnapshotAsync();
        await grain.AddAsync([Item(100) with { Vectors = new() { ["title"] = Title(5), ["image"] = Image(5) } }]);
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(40, (await grain.GetInfoAsync()).Length);
        var twins = await grain.SearchAsync(new SearchQuery(Title(5), K: 2, Using: "title"), Ct);
        Assert.Equal(["doc-005", "doc-100"], twins.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Image(5).Length, (await grain.GetItemAsync("doc-100"))!.Vectors!["image"].Length);
    }

    [Fact]
    public async Task An_index_whose_first_vector_is_quantized_restores_from_its_snapshot()
    {
        var name = TestData.Name("named-int8");
        NamedVector[] vectors = [new("image", 3, IndexDistance.Cosine, IndexQuantization.Int8), new("title", 4, IndexDistance.Euclidean)];
        var grain = Index(name);
        var created = await grain.CreateAsync(new IndexSpec(0, Vectors: vectors));
        Assert.Equal(IndexQuantization.Int8, created.Quantization);
        await grain.AddAsync(Items(30));
        var snapshot = await grain.CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);
        var restored = await SnapshotTransfer.RestoreAsync(fixture.Grains, file, TestData.Name("named-int8-restored"));
        Assert.Equal(vectors, restored.Vectors);
        Assert.Equal(30, restored.Length);
    }

    [Fact]
    public async Task Sharded_copied_exported_restored_and_merged_it_keeps_every_vector()
    {
        var name = TestData.Name("named-shards");
        var grain = await CreatedAsync(name, shards: 3, replicas: 2);
        await grain.AddAsync(Items(90));
        Assert.Equal(90, (await grain.GetInfoAsync()).Length);
        foreach (int q in new[] { 3, 48, 87 })
        {
            Assert.Equal($"doc-{q:D3}", (await grain.SearchAsync(new SearchQuery(Title(q), K: 1, Using: "title"), Ct))[0].Id);
            Assert.Equal($"doc-{q:D3}", (await grain.SearchAsync(new SearchQuery(Title(q), K: 1, Using: "title", Consistency: ReadConsistency.Primary), Ct))[0].Id);
        }

        var snapshot = await grain.CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);
        var restored = TestData.Name("named-restored");
        var info = await SnapshotTransfer.RestoreAsync(fixture.Grains, file, restored, shards: 2);
        Assert.Equal(Vectors, info.Vectors);
        Assert.Equal((2, 90), (info.Shards, info.Length));
        Assert.Equal(Title(61), (await Index(restored).GetItemAsync("doc-061"))!.Vectors!["title"]);
        Assert.Equal("doc-061", (await Index(restored).SearchAsync(new SearchQuery(Title(61), K: 1, Using: "title"), Ct))[0].Id);

        var merged = TestData.Name("named-merged");
        await CreatedAsync(merged);
        var result = await grain.MergeIntoAsync(merged, clearSource: false);
        Assert.Equal((90, 0, 90), (result.Merged, result.Failed, result.LengthDest));
        Assert.Equal(Title(33), (await Index(merged).GetItemAsync("doc-033"))!.Vectors!["title"]);
        var other = TestData.Name("named-other");
        await Index(other).CreateAsync(new IndexSpec(0, Vectors: [new("title", 4)]));
        var mismatch = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.MergeIntoAsync(other, clearSource: false));
        Assert.Equal("named vectors mismatch (source=title:4,image:3, dest=title:4)", mismatch.Message);
    }
}
