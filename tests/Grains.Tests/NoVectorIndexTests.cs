namespace Vectord.Grains.Tests;

/// <summary>An index created with dimension 0: its items carry metadata only. They are written, read, filtered,
/// ordered and searched by words like any other index's, survive a reload from the log and from a snapshot, and are
/// spread over shards and copies; a vector given to it, or a search by vector, is refused and changes nothing.</summary>
[Collection(FileCluster.Name)]
public sealed class NoVectorIndexTests(FileClusterFixture fixture)
{
    private static readonly IndexTextField[] Body = [new("body")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    private static IndexItem[] Notes(int count, int from = 0) =>
        [.. Enumerable.Range(from, count).Select(i => new IndexItem($"note-{i:D3}", [], $$"""{"n":{{i}},"body":"{{(i % 2 == 0 ? "even" : "odd")}} note {{i}}"}"""))];

    private static ItemFilter Below(int n) => ItemFilter.All(new RangeCondition("n", Lt: n));

    [Fact]
    public async Task Its_items_are_written_read_filtered_ordered_and_searched_by_words()
    {
        var name = TestData.Name("novec");
        var grain = Index(name);
        var info = await grain.CreateAsync(new IndexSpec(0, TextFields: Body));
        Assert.Equal(0, info.Dimension);
        Assert.Equal(40, (await grain.AddAsync(Notes(40))).Length);

        var item = await grain.GetItemAsync("note-007");
        Assert.NotNull(item);
        Assert.Empty(item.Vector);
        Assert.Equal("""{"n":7,"body":"odd note 7"}""", item.Metadata?.ToString());
        Assert.Equal(5, await grain.CountAsync(Below(5), Ct));
        var ordered = await grain.QueryItemsAsync(new ItemQuery(Below(10), Limit: 3, OrderBy: [new OrderKey("n", Descending: true)]), Ct);
        Assert.Equal(["note-009", "note-008", "note-007"], ordered.Items.Select(i => i.Id));
        var words = await grain.SearchAsync(new SearchQuery([], K: 100, Text: new TextQuery("even"), Filter: Below(10)), Ct);
        Assert.Equal(["note-000", "note-002", "note-004", "note-006", "note-008"], words.Select(h => h.Id).Order(StringComparer.Ordinal));

        Assert.Equal(1, (await grain.DeleteAsync(["note-002"])).Deleted);
        Assert.Null(await grain.GetItemAsync("note-002"));
        Assert.Equal(39, (await grain.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task A_vector_or_a_search_by_vector_is_refused_and_changes_nothing()
    {
        var grain = Index(TestData.Name("novec-bad"));
        await grain.CreateAsync(new IndexSpec(0, TextFields: Body));
        await grain.AddAsync(Notes(3));

        var write = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.AddAsync([.. Notes(2, from: 10), new IndexItem("v", [1f, 2f])]));
        Assert.Equal($"items[2]: {Hnsw.HnswOptions.NoVectors}", write.Message);
        Assert.Equal(3, (await grain.GetInfoAsync()).Length);

        var search = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([1f, 2f]));
        Assert.Equal($"vector: {Hnsw.HnswOptions.NoVectors}", search.Message);
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync(new SearchQuery([1f], Text: new TextQuery("note")), Ct));
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([]));
    }

    [Theory]
    [InlineData(IndexQuantization.Int8, false)]
    [InlineData(IndexQuantization.None, true)]
    public async Task It_cannot_be_quantized_or_kept_on_disk(IndexQuantization quantization, bool onDisk)
    {
        var grain = Index(TestData.Name("novec-opt"));
        var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.CreateAsync(new IndexSpec(0, Quantization: quantization, OnDisk: onDisk)));
        Assert.Equal("an index without vectors has no vectors to quantize or keep on disk", refused.Message);
    }

    [Fact]
    public async Task Its_items_survive_a_reload_from_the_log_and_from_a_snapshot()
    {
        var name = TestData.Name("novec-reload");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(0, TextFields: Body));
        await grain.AddAsync(Notes(30));
        await grain.DeleteAsync(["note-004"]);
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(29, (await grain.GetInfoAsync()).Length);
        Assert.Equal(4, await grain.CountAsync(Below(5), Ct));

        await grain.CreateSnapshotAsync();
        await grain.AddAsync(Notes(5, from: 100));
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal(34, (await grain.GetInfoAsync()).Length);
        var words = await grain.SearchAsync(new SearchQuery([], K: 100, Text: new TextQuery("note 101")), Ct);
        Assert.Equal("note-101", words[0].Id);
        Assert.Equal("""{"n":104,"body":"even note 104"}""", (await grain.GetItemAsync("note-104"))?.Metadata?.ToString());
    }

    [Fact]
    public async Task It_is_exported_restored_over_other_shard_counts_and_merged_into_another()
    {
        var name = TestData.Name("novec-export");
        var grain = Index(name);
        await grain.CreateAsync(new IndexSpec(0, Shards: 2, TextFields: Body));
        await grain.AddAsync(Notes(25));
        var snapshot = await grain.CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);

        var restored = TestData.Name("novec-restored");
        var info = await SnapshotTransfer.RestoreAsync(fixture.Grains, file, restored, shards: 3);
        Assert.Equal((0, 3, 25), (info.Dimension, info.Shards, info.Length));
        Assert.Equal("""{"n":13,"body":"odd note 13"}""", (await Index(restored).GetItemAsync("note-013"))?.Metadata?.ToString());
        Assert.Equal("note-013", (await Index(restored).SearchAsync(new SearchQuery([], K: 1, Text: new TextQuery("note 13")), Ct))[0].Id);

        var merged = TestData.Name("novec-merged");
        await Index(merged).CreateAsync(new IndexSpec(0));
        await Index(merged).AddAsync(Notes(3, from: 200));
        var result = await grain.MergeIntoAsync(merged, clearSource: false);
        Assert.Equal((25, 0, 28), (result.Merged, result.Failed, result.LengthDest));
        var withVectors = TestData.Name("novec-dim");
        await Index(withVectors).CreateAsync(new IndexSpec(4));
        var mismatch = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.MergeIntoAsync(withVectors, clearSource: false));
        Assert.Equal("dimension mismatch (source=0, dest=4)", mismatch.Message);
    }

    [Fact]
    public async Task Sharded_and_copied_it_answers_from_every_shard()
    {
        var grain = Index(TestData.Name("novec-shards"));
        var info = await grain.CreateAsync(new IndexSpec(0, Shards: 3, Replicas: 2, TextFields: Body));
        Assert.Equal((0, 3, 2), (info.Dimension, info.Shards, info.Replicas));
        await grain.AddAsync(Notes(60));
        Assert.Equal(60, (await grain.GetInfoAsync()).Length);
        Assert.Equal(20, await grain.CountAsync(Below(20), Ct));
        var words = await grain.SearchAsync(new SearchQuery([], K: 100, Text: new TextQuery("odd"), Consistency: ReadConsistency.Primary), Ct);
        Assert.Equal(30, words.Length);
        var page = await grain.QueryItemsAsync(new ItemQuery(Limit: 1000, OrderBy: [new OrderKey("n")]), Ct);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"note-{i:D3}"), page.Items.Select(i => i.Id));
        Assert.All((await grain.GetShardsAsync()).Where(s => s.Replica == 0), s => Assert.True(s.Length > 0));
    }
}
