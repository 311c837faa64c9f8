using Orleans.TestingHost;
using Vectord.Grains.Shards;

namespace Vectord.Grains.Tests;

/// <summary>Sharded indexes behave as one index: every call, compared with a one-part index over the same items.</summary>
public abstract class ShardedIndexTestsBase(Func<TestCluster> cluster)
{
    private IGrainFactory Grains => cluster().GrainFactory;

    private IVectorIndexGrain Index(string name) => Grains.GetGrain<IVectorIndexGrain>(name);

    private async Task<(IVectorIndexGrain One, IVectorIndexGrain Many, IndexItem[] Items)> PairAsync(int shards, int count = 300)
    {
        var one = Index(TestData.Name("one"));
        var many = Index(TestData.Name($"s{shards}"));
        await one.CreateAsync(new IndexSpec(8, Distance: IndexDistance.Euclidean));
        Assert.Equal(shards, (await many.CreateAsync(new IndexSpec(8, Distance: IndexDistance.Euclidean, Shards: shards))).Shards);
        var items = TestData.Items(count, 8, seed: shards, metadata: i => i % 2 == 0 ? $"{{\"i\":{i}}}" : null);
        for (var start = 0; start < items.Length; start += 100)
        {
            var batch = items[start..Math.Min(start + 100, items.Length)];
            Assert.Equal((await one.AddAsync(batch)).Length, (await many.AddAsync(batch)).Length);
        }
        return (one, many, items);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_read_answers_as_the_unsharded_index_does(int shards)
    {
        var (one, many, items) = await PairAsync(shards);
        Assert.Equal(items.Length, (await many.GetInfoAsync()).Length);

        // Exact searches (the beam covers every item) give the same answer, metadata included.
        foreach (var query in TestData.Vectors(10, 8, seed: 99))
        {
            var expected = await one.SearchAsync(query, k: 7, ef: 1000);
            var actual = await many.SearchAsync(query, k: 7, ef: 1000);
            Assert.Equal(expected.Select(h => (h.Id, h.Metadata)), actual.Select(h => (h.Id, h.Metadata)));
        }
        Assert.Equal(await one.GetItemAsync(items[17].Id), await many.GetItemAsync(items[17].Id), ItemComparer.Instance);

        // Listing pages through every item once, in id order, across the shards.
        var listed = new List<string>();
        string? after = null;
        do
        {
            var page = await many.ListItemsAsync(after, limit: 37);
            var reference = await one.ListItemsAsync(after, limit: 37);
            Assert.Equal(reference.Items.Select(i => (i.Id, i.Metadata)), page.Items.Select(i => (i.Id, i.Metadata)));
            Assert.Equal(reference.Next, page.Next);
            listed.AddRange(page.Items.Select(i => i.Id));
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), listed);

        var parts = await many.GetShardsAsync();
        Assert.Equal(Enumerable.Range(0, shards), parts.Select(p => p.Shard));
        Assert.Equal(items.Length, parts.Sum(p => p.Length));
        Assert.All(parts, p => Assert.True(p.Length > 0 && p.Silo is not null, $"shard {p.Shard}: {p.Length} items on {p.Silo}"));
        Assert.Equal(items.Length, Assert.Single(await one.GetShardsAsync()).Length);
    }

    [Fact]
    public async Task Every_shard_counts_the_searches_it_ran_also_those_the_index_ran_on_it_directly()
    {
        var ct = TestContext.Current.CancellationToken;
        var grain = Index(TestData.Name("counted"));
        await grain.CreateAsync(new IndexSpec(8, Shards: 3));
        await grain.AddAsync(TestData.Items(60, 8, seed: 5));
        var before = await grain.GetShardsAsync();
        foreach (var query in TestData.Vectors(7, 8, seed: 6)) { await grain.SearchAsync(new SearchQuery(query, 3), ct); }
        await grain.SearchBatchAsync([.. TestData.Vectors(5, 8, seed: 7).Select(v => new SearchQuery(v, 3))], ct);
        var after = await grain.GetShardsAsync();
        // Each search asks every shard once, whether the shard's grain ran it or the index grain ran it on a shard of
        // its own silo.
        Assert.All(after, shard => Assert.Equal(12, shard.Searches - before.Single(b => b.Shard == shard.Shard).Searches));
    }

    [Fact]
    public async Task Upserts_and_deletes_reach_the_right_shard()
    {
        var (one, many, items) = await PairAsync(3, count: 120);
        var moved = items[5] with { Vector = items[6].Vector, Metadata = """{"moved":true}""" };
        Assert.Equal(await one.AddAsync([moved]), await many.AddAsync([moved]));
        string[] gone = [items[1].Id, items[2].Id, items[3].Id, "nope"];
        Assert.Equal(await one.DeleteAsync(gone), await many.DeleteAsync(gone));
        string[] more = [items[1].Id, items[4].Id, items[7].Id];
        Assert.Equal(await one.DeleteAsync(more), await many.DeleteAsync(more));
        Assert.Null(await many.GetItemAsync(items[2].Id));
        Assert.Equal("""{"moved":true}""", (await many.GetItemAsync(items[5].Id))!.Metadata);
        Assert.Equal((await one.GetInfoAsync()).Length, (await many.GetInfoAsync()).Length);
        Assert.Equal((await many.GetShardsAsync()).Sum(s => s.Length), (await many.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task A_bad_item_rejects_the_whole_batch_before_any_shard_is_written()
    {
        var many = Index(TestData.Name("reject"));
        await many.CreateAsync(new IndexSpec(3, Shards: 4));
        IndexItem[] batch = [.. Enumerable.Range(0, 20).Select(i => new IndexItem($"ok-{i}", [1, i, 0])), new IndexItem("bad", [0, 0, 0])];
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => many.AddAsync(batch));
        Assert.Equal("items[20]: zero vector under cosine distance", error.Message);
        Assert.Equal(0, (await many.GetInfoAsync()).Length);
        Assert.All(await many.GetShardsAsync(), s => Assert.Equal(0, s.Length));
    }

    [Fact]
    public async Task A_sharded_index_after_reactivation_answers_exactly_as_before()
    {
        var (_, many, _) = await PairAsync(2);
        var name = many.GetPrimaryKeyString();
        var queries = TestData.Vectors(20, 8, seed: 5);
        var before = await Task.WhenAll(queries.Select(q => many.SearchAsync(q, k: 10)));

        await cluster().DeactivateAsync(many);
        for (var s = 0; s < 2; s++) { await cluster().DeactivateAsync(Grains.GetGrain<IVectorShardGrain>(ShardContext.Key(name, s))); }

        var after = await Task.WhenAll(queries.Select(q => many.SearchAsync(q, k: 10)));
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(before[i].Select(h => (h.Id, h.Distance, h.Metadata)), after[i].Select(h => (h.Id, h.Distance, h.Metadata)));
        }
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 1)]
    public async Task Merge_and_resharding_between_shard_counts(int from, int to)
    {
        var source = Index(TestData.Name($"m{from}"));
        var dest = Index(TestData.Name($"m{to}"));
        await source.CreateAsync(new IndexSpec(4, Shards: from));
        await dest.CreateAsync(new IndexSpec(4, Shards: to));
        var items = TestData.Items(250, 4, seed: 3, metadata: i => $"{{\"i\":{i}}}");
        await source.AddAsync(items);
        await dest.AddAsync([items[0] with { Metadata = """{"dest":true}""" }]);

        var result = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true);
        Assert.Equal(new MergeResult(249, 1, 0, 250, 0, null), result);
        Assert.Equal("""{"dest":true}""", (await dest.GetItemAsync(items[0].Id))!.Metadata);
        Assert.Equal(items[100].Metadata, (await dest.GetItemAsync(items[100].Id))!.Metadata);
        Assert.Equal(0, (await source.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task Opposite_merges_between_sharded_indexes_both_finish()
    {
        var a = Index(TestData.Name("oa"));
        var b = Index(TestData.Name("ob"));
        await a.CreateAsync(new IndexSpec(4, Shards: 3));
        await b.CreateAsync(new IndexSpec(4, Shards: 2));
        await a.AddAsync(TestData.Items(200, 4, seed: 1, prefix: "a-"));
        await b.AddAsync(TestData.Items(200, 4, seed: 2, prefix: "b-"));

        var results = await Task.WhenAll(a.MergeIntoAsync(b.GetPrimaryKeyString(), false), b.MergeIntoAsync(a.GetPrimaryKeyString(), false))
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.All(results, r => Assert.Equal(0, r.Failed));
        Assert.Equal(400, (await a.GetInfoAsync()).Length);
        Assert.Equal(400, (await b.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task Drop_removes_every_shard_and_a_new_incarnation_starts_empty()
    {
        var name = TestData.Name("drop");
        var index = Index(name);
        await index.CreateAsync(new IndexSpec(4, Shards: 3));
        await index.AddAsync(TestData.Items(50, 4, seed: 1));
        await index.DropAsync();
        await Assert.ThrowsAsync<IndexNotFoundException>(() => index.GetShardsAsync());

        await index.CreateAsync(new IndexSpec(4, Shards: 3));
        Assert.Equal(0, (await index.GetInfoAsync()).Length);
        Assert.Null(await index.GetItemAsync("item-0001"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public async Task Shard_counts_out_of_range_are_refused(int shards)
    {
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => Index(TestData.Name("bad")).CreateAsync(new IndexSpec(4, Shards: shards)));
        Assert.Equal("shards must be 0 (default) or between 1 and 64", error.Message);
    }

    private sealed class ItemComparer : IEqualityComparer<IndexItem?>
    {
        public static readonly ItemComparer Instance = new();

        public bool Equals(IndexItem? x, IndexItem? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Metadata == y.Metadata && x.Vector.SequenceEqual(y.Vector);

        public int GetHashCode(IndexItem? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}

/// <summary>Sharded indexes on the <c>file</c> backend.</summary>
[Collection(FileCluster.Name)]
public sealed class ShardedIndexFileTests(FileClusterFixture fixture) : ShardedIndexTestsBase(() => fixture.Cluster);

/// <summary>Sharded indexes on Azurite.</summary>
[Collection(AzuriteCluster.Name)]
public sealed class ShardedIndexAzuriteTests(AzuriteClusterFixture fixture) : ShardedIndexTestsBase(() => fixture.Cluster);

/// <summary>A storage failure in one shard of a batch: the answer is 503, that shard is unchanged, and a retry of
/// the same batch converges.</summary>
[Collection(FileCluster.Name)]
public sealed class ShardFailureTests(FileClusterFixture fixture)
{
    [Fact]
    public async Task One_failing_shard_gives_503_and_a_retry_of_the_batch_converges()
    {
        var name = TestData.Name("fail");
        var index = fixture.Grains.GetGrain<IVectorIndexGrain>(name);
        await index.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: 3));
        var items = TestData.Items(90, 4, seed: 11);
        var first = items.First(i => ShardRouting.ShardOf(i.Id, 3) == 0);
        await index.AddAsync([first]);   // the index's storage folder exists from here on

        // Shard 1's log cannot be written: a file stands where its folder would be.
        var generation = Assert.Single(Directory.GetDirectories(Path.Combine(fixture.StoragePath, "indexes", name)));
        var blocked = Path.Combine(generation, "s01", "wal");
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "not a folder", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => index.AddAsync(items));
        var shards = await index.GetShardsAsync();
        Assert.Equal(0, shards[1].Length);
        Assert.Equal(items.Count(i => ShardRouting.ShardOf(i.Id, 3) != 1), shards.Sum(s => s.Length));
        Assert.Equal(shards.Sum(s => s.Length), (await index.GetInfoAsync()).Length);

        File.Delete(blocked);
        Assert.Equal(new AddResult(90, 90), await index.AddAsync(items));
        Assert.All(await index.GetShardsAsync(), s => Assert.True(s.Length > 0));
        foreach (var item in items.Where((_, i) => i % 9 == 0))
        {
            Assert.Equal(item.Vector, (await index.GetItemAsync(item.Id))!.Vector);
        }
    }
}
