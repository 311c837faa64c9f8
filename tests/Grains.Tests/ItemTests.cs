namespace Vectord.Grains.Tests;

/// <summary>Add (upsert), validation of batches, get, delete and paging.</summary>
[Collection(FileCluster.Name)]
public sealed class ItemTests(FileClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    [Fact]
    public async Task Metadata_deeper_than_32_levels_is_refused_on_the_grain_api_too()
    {
        var index = await NewIndexAsync();
        static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => index.AddAsync([new IndexItem("deep", [1, 2, 3, 4], Nested(40))]));
        Assert.Equal("items[0]: metadata nests 40 levels deep (at most 32)", error.Message);
        await index.AddAsync([new IndexItem("ok", [1, 2, 3, 4], Nested(32)), new IndexItem("flat", [1, 2, 3, 5], "\"text\"")]);
        Assert.Equal(Nested(32), (await index.GetItemAsync("ok"))!.Metadata);
    }

    [Fact]
    public async Task The_size_caps_hold_on_the_grain_api_and_a_refused_batch_changes_nothing()
    {
        var index = await NewIndexAsync();
        IndexItem Item(string id, string? metadata = null) => new(id, [1, 2, 3, 4], metadata);

        var longId = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => index.AddAsync([Item("a"), Item(new string('€', 342))]));
        Assert.Equal("items[1]: id is 1026 bytes of UTF-8 (at most 1024)", longId.Message);
        var large = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => index.AddAsync([Item("a", "\"" + new string('m', 65_535) + "\"")]));
        Assert.Equal("items[0]: metadata is 65537 bytes (at most 65536)", large.Message);
        var many = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => index.AddAsync([.. Enumerable.Range(0, 10_001).Select(i => Item($"i{i}"))]));
        Assert.Equal("items: more than 10000 in one call (split the batch)", many.Message);
        var ids = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => index.DeleteAsync([.. Enumerable.Range(0, 10_001).Select(i => $"i{i}")]));
        Assert.Equal("ids: more than 10000 in one call (split the batch)", ids.Message);
        Assert.Equal(0, (await index.GetInfoAsync()).Length);

        await index.AddAsync([Item(new string('€', 341) + "x", "\"" + new string('m', 65_534) + "\"")]);
        Assert.Equal(1, (await index.GetInfoAsync()).Length);
    }

    private async Task<IVectorIndexGrain> NewIndexAsync(int dimension = 4, IndexDistance distance = IndexDistance.Cosine)
    {
        var grain = Index(TestData.Name("items"));
        await grain.CreateAsync(new IndexSpec(dimension, Distance: distance));
        return grain;
    }

    [Fact]
    public async Task Add_upserts_and_the_last_duplicate_in_a_batch_wins()
    {
        var grain = await NewIndexAsync(distance: IndexDistance.Euclidean);
        var first = await grain.AddAsync([new IndexItem("a", [1, 0, 0, 0], """{"v":1}"""), new IndexItem("b", [0, 1, 0, 0])]);
        Assert.Equal(new AddResult(2, 2), first);

        var second = await grain.AddAsync(
        [
            new IndexItem("a", [0, 0, 1, 0], """{"v":2}"""),
            new IndexItem("c", [0, 0, 0, 1]),
            new IndexItem("c", [0, 0, 2, 2], """{"v":"last"}"""),
        ]);
        Assert.Equal(3, second.Length);

        var a = await grain.GetItemAsync("a");
        Assert.Equal(new float[] { 0f, 0, 1, 0 }, a!.Vector);
        Assert.Equal("""{"v":2}""", a.Metadata);
        var c = await grain.GetItemAsync("c");
        Assert.Equal(new float[] { 0f, 0, 2, 2 }, c!.Vector);
        Assert.Equal("""{"v":"last"}""", c.Metadata);
        var hits = await grain.SearchAsync([0, 0, 1, 0], k: 10);
        Assert.Equal("a", hits[0].Id);
        Assert.Equal(3, hits.Length);
        Assert.Single(hits, h => h.Id == "c");
    }

    public static TheoryData<IndexItem[], string> BadBatches => new()
    {
        { [], "items must be non-empty" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem("", [1, 1, 1, 1])], "items[1]: empty id" },
        { [new IndexItem("ok", [1, 1, 1])], "items[0]: dim mismatch (index=4, got=3)" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem("x", [1, 1, 1, 1, 1])], "items[1]: dim mismatch (index=4, got=5)" },
        { [new IndexItem("ok", [1, float.NaN, 1, 1])], "items[0]: non-finite component at 1" },
        { [new IndexItem("ok", [1, 1, 1, float.PositiveInfinity])], "items[0]: non-finite component at 3" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem("z", [0, 0, 0, 0])], "items[1]: zero vector under cosine distance" },
        { [new IndexItem("ok", [1, 1, 1, 1], "{not json")], "items[0]: metadata is not valid JSON" },
        { [new IndexItem("ok", [1, 1, 1, 1], "")], "items[0]: metadata is not valid JSON" },
        { [new IndexItem("ok", [1, 1, 1, 1], "1 2")], "items[0]: metadata is not valid JSON" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem("x", [1, 1, 1, 1], ItemMetadata.FromUtf8([0x22, 0xC3, 0x28, 0x22]))], "items[1]: metadata is not valid UTF-8" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem(".", [1, 1, 1, 1])], "items[1]: id \".\" is a path segment of its own (. and .. are not allowed)" },
        { [new IndexItem("..", [1, 1, 1, 1])], "items[0]: id \"..\" is a path segment of its own (. and .. are not allowed)" },
        { [new IndexItem("ok", [1, 1, 1, 1]), new IndexItem("a\u0001b", [1, 1, 1, 1])], "items[1]: id contains the control character U+0001 at 1" },
        { [new IndexItem("tab\t", [1, 1, 1, 1])], "items[0]: id contains the control character U+0009 at 3" },
        { [new IndexItem("c1\u0085", [1, 1, 1, 1])], "items[0]: id contains the control character U+0085 at 2" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_is_rejected_whole_with_the_contract_message(IndexItem[] batch, string message)
    {
        var grain = await NewIndexAsync();
        await grain.AddAsync([new IndexItem("ok", [0, 1, 0, 0], """{"keep":true}""")]);

        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.AddAsync(batch));
        Assert.Equal(message, error.Message);

        Assert.Equal(1, (await grain.GetInfoAsync()).Length);
        var kept = await grain.GetItemAsync("ok");
        Assert.Equal(new float[] { 0f, 1, 0, 0 }, kept!.Vector);
        Assert.Equal("""{"keep":true}""", kept.Metadata);
        // Nothing of the rejected batch reached storage either.
        await VectordCluster.ReactivateAsync(fixture.Cluster, grain.GetPrimaryKeyString());
        Assert.Equal(new float[] { 0f, 1, 0, 0 }, (await grain.GetItemAsync("ok"))!.Vector);
        Assert.Equal(1, (await grain.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task Cosine_indexes_keep_unit_vectors()
    {
        // Under cosine the engine stores each vector normalised; only its direction matters to search.
        var grain = await NewIndexAsync();
        await grain.AddAsync([new IndexItem("v", [3, 0, 4, 0])]);
        var stored = (await grain.GetItemAsync("v"))!.Vector;
        Assert.Equal(0.6, stored[0], 1e-6);
        Assert.Equal(0.8, stored[2], 1e-6);
        Assert.Equal(0, (await grain.SearchAsync([6, 0, 8, 0], k: 1))[0].Distance, 1e-6);
    }

    [Fact]
    public async Task Zero_vectors_are_fine_outside_cosine()
    {
        var euclidean = await NewIndexAsync(distance: IndexDistance.Euclidean);
        Assert.Equal(1, (await euclidean.AddAsync([new IndexItem("zero", [0, 0, 0, 0])])).Length);
        var dot = await NewIndexAsync(distance: IndexDistance.Dot);
        Assert.Equal(1, (await dot.AddAsync([new IndexItem("zero", [0, 0, 0, 0])])).Length);
    }

    [Fact]
    public async Task Get_item_returns_vector_and_metadata_or_null()
    {
        var grain = await NewIndexAsync(distance: IndexDistance.Euclidean);
        await grain.AddAsync([new IndexItem("with", [1, 2, 3, 4], """["x",1]"""), new IndexItem("without", [4, 3, 2, 1])]);
        Assert.Equal(new IndexItem("with", [1, 2, 3, 4], """["x",1]""").Metadata, (await grain.GetItemAsync("with"))!.Metadata);
        Assert.Equal(new float[] { 1f, 2, 3, 4 }, (await grain.GetItemAsync("with"))!.Vector);
        Assert.Null((await grain.GetItemAsync("without"))!.Metadata);
        Assert.Null(await grain.GetItemAsync("nope"));
    }

    [Fact]
    public async Task Delete_counts_existing_ids_and_deleted_items_never_come_back()
    {
        var grain = await NewIndexAsync(dimension: 8);
        var items = TestData.Items(40, 8, seed: 5);
        await grain.AddAsync(items);

        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.DeleteAsync([]));
        Assert.Equal("ids must be non-empty", error.Message);

        var result = await grain.DeleteAsync(["item-0000", "item-0001", "item-0001", "nope"]);
        Assert.Equal(new DeleteResult(2, 38), result);
        Assert.Equal(new DeleteResult(0, 38), await grain.DeleteAsync(["item-0000"]));
        Assert.Null(await grain.GetItemAsync("item-0000"));

        var hits = await grain.SearchAsync(items[0].Vector, k: 40);
        Assert.Equal(38, hits.Length);
        Assert.DoesNotContain(hits, h => h.Id is "item-0000" or "item-0001");

        await VectordCluster.ReactivateAsync(fixture.Cluster, grain.GetPrimaryKeyString());
        Assert.Equal(38, (await grain.GetInfoAsync()).Length);
        Assert.Null(await grain.GetItemAsync("item-0001"));
        Assert.DoesNotContain(await grain.SearchAsync(items[1].Vector, k: 40), h => h.Id is "item-0000" or "item-0001");

        // A deleted id can be added again.
        await grain.AddAsync([items[0]]);
        Assert.Equal("item-0000", (await grain.SearchAsync(items[0].Vector, k: 1))[0].Id);
    }

    [Fact]
    public async Task List_items_pages_in_ordinal_id_order()
    {
        var grain = await NewIndexAsync(dimension: 2, distance: IndexDistance.Euclidean);
        var ids = new[] { "b", "a", "B", "c10", "c2", "Z", "a0", "_x" };
        await grain.AddAsync([.. ids.Select((id, i) => new IndexItem(id, [i, i], i % 2 == 0 ? $"{{\"i\":{i}}}" : null))]);
        var expected = ids.Order(StringComparer.Ordinal).ToArray();

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await grain.ListItemsAsync(after, limit: 3);
            Assert.All(page.Items, item => Assert.Empty(item.Vector));
            seen.AddRange(page.Items.Select(i => i.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 10);
        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);

        var withVectors = await grain.ListItemsAsync("a", limit: 2, includeVectors: true);
        Assert.Equal(["a0", "b"], withVectors.Items.Select(i => i.Id));
        Assert.Equal(new float[] { 6f, 6 }, withVectors.Items[0].Vector);
        Assert.Equal("""{"i":6}""", withVectors.Items[0].Metadata);
        Assert.Equal("""{"i":0}""", withVectors.Items[1].Metadata);
        Assert.Null((await grain.ListItemsAsync("a0", limit: 2)).Items[1].Metadata);   // "b", then "c10" (i = 3)
        Assert.Equal("b", withVectors.Next);

        var tail = await grain.ListItemsAsync("c2", limit: 100);
        Assert.Empty(tail.Items);
        Assert.Null(tail.Next);
        await grain.DeleteAsync(["a0"]);
        Assert.Equal(["b", "c10"], (await grain.ListItemsAsync("a", limit: 2)).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Metadata_is_byte_faithful_and_null_stays_null_across_reactivation()
    {
        var grain = await NewIndexAsync(dimension: 2);
        var samples = new (string Id, string? Metadata)[]
        {
            ("object", "{ \"b\" : 1,\n  \"a\": [1.50, 2e3, -0.0],\t\"c\": {\"n\": null} }"),
            ("array", "[true,false,null,\"x\"]"),
            ("string", "\"caf\u00e9 \ud83d\ude00 \\u00e9 \\\"q\\\"\""),
            ("number", "123.4500"),
            ("json-null", "null"),
            ("none", null),
        };
        await grain.AddAsync([.. samples.Select((s, i) => new IndexItem(s.Id, [1, i + 1], s.Metadata))]);

        async Task CheckAsync()
        {
            foreach (var (id, metadata) in samples)
            {
                Assert.Equal(metadata, (await grain.GetItemAsync(id))!.Metadata);
            }
            var hits = await grain.SearchAsync([1, 3], k: 10);
            Assert.Equal(samples.Length, hits.Length);
            Assert.All(hits, h => Assert.Equal(samples.Single(s => s.Id == h.Id).Metadata, h.Metadata));
            var page = await grain.ListItemsAsync(limit: 10);
            Assert.All(page.Items, i => Assert.Equal(samples.Single(s => s.Id == i.Id).Metadata, i.Metadata));
        }

        await CheckAsync();
        await VectordCluster.ReactivateAsync(fixture.Cluster, grain.GetPrimaryKeyString());
        await CheckAsync();
    }
}
