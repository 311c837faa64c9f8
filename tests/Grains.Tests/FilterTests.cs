using System.Globalization;

namespace Vectord.Grains.Tests;

/// <summary>
/// Filters through the grain API, on one part and on three: search, batch search, count, item queries and delete by
/// filter, each checked against a brute-force scan of the items the test keeps, after upserts, deletes and a
/// reactivation (the payload index is rebuilt from storage).
/// </summary>
[Collection(FileCluster.Name)]
public sealed class FilterTests(FileClusterFixture fixture)
{
    private const int Dim = 8;
    private static readonly string[] Colors = ["red", "green", "blue"];

    private sealed record Meta(string Color, int N, bool Even, string[] Tags);

    private static Meta MetaOf(int i) => new(Colors[i % 3], i, i % 2 == 0, i % 5 == 0 ? [] : [$"t{i % 4}", $"t{(i + 1) % 4}"]);

    private static string Json(Meta m)
    {
        var tags = string.Join(",", m.Tags.Select(t => $"\"{t}\""));
        var even = m.Even ? "true" : "false";
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"color":"{{m.Color}}","n":{{m.N}}.0,"even":{{even}},"tags":[{{tags}}],"nested":{"n":{{m.N % 10}}""") + "}}";
    }

    /// <summary>Filters paired with the same rule over the kept metadata.</summary>
    private static readonly (ItemFilter Filter, Func<Meta, bool> Matches)[] Filters =
    [
        (ItemFilter.All(Where.Match("color", "red")), m => m.Color == "red"),
        (ItemFilter.All(Where.Match("n", 17)), m => m.N == 17),
        (ItemFilter.All(Where.Range("n", gte: 40, lt: 90), Where.Match("even", true)), m => m.N is >= 40 and < 90 && m.Even),
        (ItemFilter.Any(Where.MatchAny("tags", "t1", "t3"), Where.Match("nested.n", 0)), m => m.Tags.Contains("t1") || m.Tags.Contains("t3") || m.N % 10 == 0),
        (ItemFilter.None(Where.Match("color", "blue")), m => m.Color != "blue"),
        (ItemFilter.All(Where.IsEmpty("tags")), m => m.Tags.Length == 0),
        (ItemFilter.All(Where.MatchExcept("color", "red", "green")), m => m.Color == "blue"),
        (ItemFilter.All(ItemFilter.Any(Where.Match("color", "red"), Where.Match("color", "green")), Where.Range("n", lt: 30)), m => m.Color != "blue" && m.N < 30),
        (new ItemFilter(), _ => true),
    ];

    private async Task<(IVectorIndexGrain Grain, Dictionary<string, (float[] Vector, Meta Meta)> Items)> NewIndexAsync(int shards, int count = 240)
    {
        var grain = fixture.Grains.GetGrain<IVectorIndexGrain>(TestData.Name($"filter{shards}"));
        await grain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, Shards: shards));
        var vectors = TestData.Vectors(count, Dim, seed: 5);
        var items = new Dictionary<string, (float[], Meta)>(StringComparer.Ordinal);
        var batch = new IndexItem[count];
        for (var i = 0; i < count; i++)
        {
            var id = $"i{i:D4}";
            items[id] = (vectors[i], MetaOf(i));
            batch[i] = new IndexItem(id, vectors[i], Json(MetaOf(i)));
        }
        await grain.AddAsync(batch);
        return (grain, items);
    }

    private static async Task AssertAnswersAsync(IVectorIndexGrain grain, Dictionary<string, (float[] Vector, Meta Meta)> items)
    {
        var queries = TestData.Vectors(4, Dim, seed: 77);
        foreach (var (filter, matches) in Filters)
        {
            var expected = items.Where(e => matches(e.Value.Meta)).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, await grain.CountAsync(filter));

            // Every matching item, once, in id order, a page at a time.
            var paged = new List<string>();
            string? after = null;
            do
            {
                var page = await grain.QueryItemsAsync(new ItemQuery(filter, Limit: 7, After: after));
                Assert.All(page.Items, i => Assert.Empty(i.Vector));
                paged.AddRange(page.Items.Select(i => i.Id));
                after = page.Next;
            }
            while (after is not null);
            Assert.Equal(expected, paged);

            // The k nearest among the matches: few items here, so the answer is exact.
            foreach (var q in queries)
            {
                var nearest = expected.OrderBy(id => TestData.Distance(IndexDistance.Euclidean, q, items[id].Vector)).Take(5).ToList();
                var hits = await grain.SearchAsync(new SearchQuery(q, K: 5, Filter: filter));
                Assert.Equal(nearest, hits.Select(h => h.Id));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Filters_answer_as_brute_force_after_upserts_deletes_and_a_reactivation(int shards)
    {
        var (grain, items) = await NewIndexAsync(shards);
        await AssertAnswersAsync(grain, items);

        // Upserts move items between filters; deletes take them out of every one.
        var vectors = TestData.Vectors(20, Dim, seed: 9);
        var upserts = Enumerable.Range(0, 20).Select(j => (Id: $"i{j * 7:D4}", Vector: vectors[j], Meta: MetaOf(1000 + j))).ToArray();
        await grain.AddAsync([.. upserts.Select(u => new IndexItem(u.Id, u.Vector, Json(u.Meta)))]);
        foreach (var u in upserts) { items[u.Id] = (u.Vector, u.Meta); }
        string[] gone = ["i0001", "i0003", "i0100", "i0017"];
        await grain.DeleteAsync(gone);
        foreach (var id in gone) { items.Remove(id); }
        await AssertAnswersAsync(grain, items);

        await VectordCluster.ReactivateAsync(fixture.Cluster, grain.GetPrimaryKeyString());
        await AssertAnswersAsync(grain, items);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Delete_by_filter_removes_exactly_the_matches_and_stays_deleted(int shards)
    {
        var (grain, items) = await NewIndexAsync(shards);
        var filter = ItemFilter.All(Where.Match("color", "green"), Where.Range("n", lt: 120));
        var doomed = items.Where(e => e.Value.Meta.Color == "green" && e.Value.Meta.N < 120).Select(e => e.Key).ToList();

        var result = await grain.DeleteWhereAsync(filter, TestContext.Current.CancellationToken);
        Assert.Equal(new DeleteResult(doomed.Count, items.Count - doomed.Count), result);
        foreach (var id in doomed) { items.Remove(id); }
        Assert.Equal(0, await grain.CountAsync(filter, TestContext.Current.CancellationToken));
        Assert.Equal(new DeleteResult(0, items.Count), await grain.DeleteWhereAsync(filter, TestContext.Current.CancellationToken));

        await VectordCluster.ReactivateAsync(fixture.Cluster, grain.GetPrimaryKeyString());
        Assert.Equal(items.Count, (await grain.GetInfoAsync()).Length);
        Assert.Null(await grain.GetItemAsync(doomed[0]));
        await AssertAnswersAsync(grain, items);
    }

    [Fact]
    public async Task A_batch_answers_each_search_in_order_and_one_bad_search_fails_the_whole_batch()
    {
        var (grain, items) = await NewIndexAsync(3);
        var queries = TestData.Vectors(3, Dim, seed: 11);
        var red = ItemFilter.All(Where.Match("color", "red"));
        var batch = await grain.SearchBatchAsync(
        [
            new SearchQuery(queries[0], K: 3),
            new SearchQuery(queries[1], K: 4, Filter: red),
            new SearchQuery(queries[2], K: 0),
        ], TestContext.Current.CancellationToken);
        Assert.Equal(3, batch.Length);
        Assert.Equal((await grain.SearchAsync(queries[0], k: 3)).Select(h => h.Id), batch[0].Select(h => h.Id));
        Assert.Equal(4, batch[1].Length);
        Assert.All(batch[1], h => Assert.Equal("red", items[h.Id].Meta.Color));
        Assert.Equal(10, batch[2].Length);

        var dimension = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchBatchAsync(
            [new SearchQuery(queries[0]), new SearchQuery([1, 2, 3])], TestContext.Current.CancellationToken));
        Assert.Equal($"searches[1]: vector: dim mismatch (index={Dim}, got=3)", dimension.Message);
        var range = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchBatchAsync(
            [new SearchQuery(queries[0]), new SearchQuery(queries[1]), new SearchQuery(queries[2], Filter: ItemFilter.All(Where.Range("n")))], TestContext.Current.CancellationToken));
        Assert.Equal("searches[2].filter.must[0].range: at least one bound is required", range.Message);
        var empty = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchBatchAsync([], TestContext.Current.CancellationToken));
        Assert.Equal("searches must be non-empty", empty.Message);
        var many = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchBatchAsync([.. Enumerable.Repeat(new SearchQuery(queries[0]), 1025)], TestContext.Current.CancellationToken));
        Assert.Equal("searches: more than 1024 in one call (split the batch)", many.Message);
    }

    [Fact]
    public async Task Invalid_filters_are_refused_naming_the_offending_part_and_change_nothing()
    {
        var (grain, items) = await NewIndexAsync(1, count: 30);
        var deep = new ItemFilter();
        for (var i = 0; i < 16; i++) { deep = ItemFilter.All(deep); }
        var cases = new (ItemFilter Filter, string Detail)[]
        {
            (ItemFilter.All(Where.Match("color", "red"), Where.Range("n")), "filter.must[1].range: at least one bound is required"),
            (ItemFilter.Any(Where.Match("", 1)), "filter.should[0].key: must be a non-empty path"),
            (ItemFilter.None(Where.Match("a..b", 1)), "filter.must_not[0].key: 'a..b' has an empty step between dots"),
            (ItemFilter.All(Where.MatchAny("n", [.. Enumerable.Range(0, 1025).Select(i => (FilterValue)i)])), "filter.must[0].match.any: more than 1024 values"),
            (ItemFilter.All(Where.Range("n", gt: double.NaN)), "filter.must[0].range.gt: must be a finite number"),
            (deep, "filter" + string.Concat(Enumerable.Repeat(".must[0]", 16)) + ": filters nest deeper than 16"),
        };
        foreach (var (filter, detail) in cases)
        {
            Assert.Equal(detail, (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.CountAsync(filter, TestContext.Current.CancellationToken))).Message);
            Assert.Equal(detail, (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.DeleteWhereAsync(filter, TestContext.Current.CancellationToken))).Message);
            Assert.Equal(detail, (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.QueryItemsAsync(new ItemQuery(filter), TestContext.Current.CancellationToken))).Message);
        }
        Assert.Equal("filter must be set", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.DeleteWhereAsync(null!, TestContext.Current.CancellationToken))).Message);
        Assert.Equal(items.Count, (await grain.GetInfoAsync()).Length);
    }
}
