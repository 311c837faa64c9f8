using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>The index routes through the client against a real node: create, list, get, exists, shards, delete,
/// and the errors each answers.</summary>
public sealed class IndexRoutesTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    [Fact]
    public async Task Create_get_list_shards_and_delete_an_index()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("index");

        IndexInfo created = await _client.CreateIndexAsync(name, new IndexSpec(3, M: 8, EfSearch: 40, IndexDistance.Dot, Shards: 2), ct);
        Assert.Equal(new IndexInfo(name, 3, 8, 40, IndexDistance.Dot, 0, 2), created);

        await _client.AddAsync(name, [new IndexItem("a", [1, 2, 3]), new IndexItem("b", [3, 2, 1])], ct);
        Assert.Equal(new IndexInfo(name, 3, 8, 40, IndexDistance.Dot, 2, 2), await _client.GetIndexAsync(name, ct));
        Assert.Contains(name, await _client.ListIndexesAsync(ct));
        Assert.True(await _client.IndexExistsAsync(name, ct));

        ShardInfo[] shards = await _client.GetShardsAsync(name, ct);
        Assert.Equal([0, 1], shards.Select(s => s.Shard));
        Assert.Equal(2, shards.Sum(s => s.Length));

        await _client.DeleteIndexAsync(name, ct);
        Assert.False(await _client.IndexExistsAsync(name, ct));
        Assert.DoesNotContain(name, await _client.ListIndexesAsync(ct));
    }

    [Fact]
    public async Task An_index_without_vectors_takes_items_with_metadata_only_and_refuses_a_vector()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("novec");
        IndexInfo created = await _client.CreateIndexAsync(name, new IndexSpec(0, TextFields: [new IndexTextField("body")]), ct);
        Assert.Equal(0, created.Dimension);
        await _client.AddAsync(name, [new IndexItem("a", [], """{"body":"red apple"}"""), new IndexItem("b", [], """{"body":"green pear"}""")], ct);
        Assert.Equal(2, (await _client.GetIndexAsync(name, ct)).Length);
        IndexItem? a = await _client.GetItemAsync(name, "a", ct);
        Assert.NotNull(a);
        Assert.Empty(a.Vector);
        Assert.Equal("""{"body":"red apple"}""", a.Metadata?.ToString());
        Assert.Equal(["b"], (await _client.SearchTextAsync(name, new TextQuery("pear"), cancellationToken: ct)).Select(h => h.Id));

        var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.AddAsync(name, [new IndexItem("c", [1f])], ct));
        Assert.StartsWith("items[0]: the index has no vectors", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.SearchAsync(name, new SearchQuery([1f]), ct));
        Assert.Equal(2, (await _client.GetIndexAsync(name, ct)).Length);
    }

    [Fact]
    public async Task An_index_with_named_vectors_round_trips_its_vectors_and_searches_by_name()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("named");
        NamedVector[] vectors = [new("title", 2, IndexDistance.Euclidean), new("image", 3, IndexDistance.Dot, IndexQuantization.Int8)];
        IndexInfo created = await _client.CreateIndexAsync(name, new IndexSpec(0, Vectors: vectors), ct);
        Assert.Equal(vectors, created.Vectors);
        Assert.Equal(vectors, (await _client.GetIndexAsync(name, ct)).Vectors);
        await _client.AddAsync(name, [
            new IndexItem("a", [], null, new() { ["title"] = [0, 0], ["image"] = [1, 0, 0] }),
            new IndexItem("b", [], null, new() { ["title"] = [3, 0], ["image"] = [0, 2, 0] })], ct);

        IndexItem? b = await _client.GetItemAsync(name, "b", ct);
        Assert.Equal([3f, 0f], b!.Vectors!["title"]);
        Assert.Equal([0f, 2f, 0f], b.Vectors["image"]);
        Assert.Equal("a", (await _client.SearchAsync(name, new SearchQuery([0.5f, 0], K: 1, Using: "title"), ct))[0].Id);
        Assert.Equal("b", (await _client.SearchAsync(name, new SearchQuery([0, 1, 0], K: 1, Using: "image"), ct))[0].Id);
        var page = await _client.QueryItemsAsync(name, new ItemQuery(IncludeVectors: true), ct);
        Assert.Equal([1f, 0f, 0f], page.Items[0].Vectors!["image"]);
        var missing = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.SearchAsync(name, new SearchQuery([0, 1, 0]), ct));
        Assert.Equal(400, missing.Status);
    }

    [Fact]
    public async Task Text_fields_added_to_an_index_are_searchable_by_words_and_a_wrong_one_is_its_typed_error()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("words");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean, Shards: 2), ct);
        await _client.AddAsync(name, [
            new IndexItem("a", [1, 0], """{"body":"A quick brown fox"}"""),
            new IndexItem("b", [0, 1], """{"body":"Lazy dogs sleeping"}""")], ct);

        IndexInfo info = await _client.AddTextFieldsAsync(name, [new IndexTextField("body", IndexTextLanguage.English)], ct);
        Assert.Equal([new IndexTextField("body", IndexTextLanguage.English)], info.TextFields!);
        Assert.Equal(1.2, info.Bm25K1);
        Assert.Equal(2, info.Length);
        Assert.Equal(["b"], (await _client.SearchTextAsync(name, new TextQuery("sleeps"), cancellationToken: ct)).Select(h => h.Id));
        IndexInfo again = await _client.AddTextFieldsAsync(name, [new IndexTextField("body", IndexTextLanguage.English)], ct);   // kept as it is
        Assert.Equal(info.TextFields, again.TextFields!);

        var otherLanguage = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.AddTextFieldsAsync(name, [new IndexTextField("body")], ct));
        Assert.Equal("text_fields[0]: 'body' is a text field already, in english", otherLanguage.Message);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.AddTextFieldsAsync(NodeFixture.NewName("absent"), [new IndexTextField("body")], ct));
    }

    [Fact]
    public async Task Defaults_are_the_services_effective_values()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("defaults");
        IndexInfo created = await _client.CreateIndexAsync(name, new IndexSpec(4), ct);
        Assert.Equal(IndexDistance.Cosine, created.Distance);
        Assert.Equal(16, created.M);
        Assert.Equal(1, created.Shards);
        Assert.True(created.EfSearch > 0);
        Assert.Equal(IndexQuantization.None, created.Quantization);
        Assert.False(created.OnDisk);
    }

    [Fact]
    public async Task An_on_disk_index_round_trips_the_option()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("ondisk");
        IndexInfo created = await _client.CreateIndexAsync(name,
            new IndexSpec(2, Distance: IndexDistance.Euclidean, Quantization: IndexQuantization.Int8, OnDisk: true), ct);
        Assert.Equal(new IndexInfo(name, 2, 16, created.EfSearch, IndexDistance.Euclidean, 0, 1, IndexQuantization.Int8, OnDisk: true), created);
        await _client.AddAsync(name, [new IndexItem("a", [1, 2]), new IndexItem("b", [3, 4])], ct);
        Assert.Equal(created with { Length = 2 }, await _client.GetIndexAsync(name, ct));
    }

    [Fact]
    public async Task An_int8_index_round_trips_its_quantization_and_answers_with_exact_distances()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("int8");
        IndexInfo created = await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean, Quantization: IndexQuantization.Int8), ct);
        Assert.Equal(new IndexInfo(name, 2, 16, created.EfSearch, IndexDistance.Euclidean, 0, 1, IndexQuantization.Int8), created);
        // 300 items: enough for the quantizer to be trained (256).
        await _client.AddAsync(name, [.. Enumerable.Range(0, 300).Select(i => new IndexItem($"p{i}", [i, 300 - i]))], ct);
        Assert.Equal(IndexQuantization.Int8, (await _client.GetIndexAsync(name, ct)).Quantization);
        var hits = await _client.SearchAsync(name, new SearchQuery([100.25f, 200f], K: 2), ct);
        Assert.Equal(["p100", "p101"], hits.Select(h => h.Id));
        Assert.Equal([0.25f, 1.25f], hits.Select(h => h.Distance));     // exact: rescored with the floats
    }

    [Fact]
    public async Task Errors_carry_the_status_and_the_detail()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("errors");
        await _client.CreateIndexAsync(name, new IndexSpec(2), ct);

        var exists = await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => _client.CreateIndexAsync(name, new IndexSpec(2), ct));
        Assert.Equal(409, exists.Status);

        var invalid = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync(NodeFixture.NewName("bad"), new IndexSpec(-1), ct));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("dimension", invalid.Message, StringComparison.Ordinal);

        var badName = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync("no/slashes", new IndexSpec(2), ct));
        Assert.Equal(400, badName.Status);

        var distance = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync(NodeFixture.NewName("dist"), new IndexSpec(2, Distance: (IndexDistance)7), ct));
        Assert.Contains("unknown distance", distance.Message, StringComparison.Ordinal);

        var quantization = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync(NodeFixture.NewName("quant"), new IndexSpec(2, Quantization: (IndexQuantization)9), ct));
        Assert.Equal(400, quantization.Status);
        Assert.Contains("quantization: unknown value \"9\"", quantization.Message, StringComparison.Ordinal);

        string missing = NodeFixture.NewName("missing");
        var notFound = await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.GetIndexAsync(missing, ct));
        Assert.Equal(404, notFound.Status);
        Assert.Equal("index not found", notFound.Message);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.DeleteIndexAsync(missing, ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.GetShardsAsync(missing, ct))).Status);
    }

    [Fact]
    public async Task Merge_copies_items_and_names_a_missing_destination()
    {
        var ct = TestContext.Current.CancellationToken;
        string source = NodeFixture.NewName("merge-src");
        string dest = NodeFixture.NewName("merge-dst");
        await _client.CreateIndexAsync(source, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        await _client.CreateIndexAsync(dest, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        await _client.AddAsync(source, [new IndexItem("a", [1, 0], """{"k":1}"""), new IndexItem("b", [0, 1])], ct);
        await _client.AddAsync(dest, [new IndexItem("b", [5, 5])], ct);

        MergeResult merged = await _client.MergeAsync(source, dest, clearSource: true, ct);
        Assert.Equal(new MergeResult(1, 1, 0, 2, 0, null), merged);
        Assert.Equal("""{"k":1}""", (await _client.GetItemAsync(dest, "a", ct))?.Metadata);

        var missing = await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.MergeAsync(source, NodeFixture.NewName("none"), false, ct));
        Assert.Equal("dest not found", missing.Message);
        var same = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.MergeAsync(source, source, false, ct));
        Assert.Equal(400, same.Status);
    }

    [Fact]
    public async Task Health_counts_the_silos()
    {
        Assert.Equal(1, await _client.CheckHealthAsync(TestContext.Current.CancellationToken));
    }
}
