namespace Vectord.Grains.Tests;

/// <summary>The filter limits through the grain API, on one part and on three: the cost of a batch's filters together,
/// text that is not Unicode in a filter (the rules), and metadata a filter could not see whole.</summary>
[Collection(FileCluster.Name)]
public sealed class FilterLimitsTests(FileClusterFixture fixture)
{
    private const int Dim = 4;

    private async Task<IVectorIndexGrain> NewIndexAsync(int shards)
    {
        var grain = fixture.Grains.GetGrain<IVectorIndexGrain>(TestData.Name($"filterlimits{shards}"));
        await grain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, Shards: shards));
        await grain.AddAsync([new IndexItem("a", [1, 0, 0, 0], """{"keep":true}"""), new IndexItem("b", [0, 1, 0, 0], """{"keep":false}""")]);
        return grain;
    }

    /// <summary>A filter of <paramref name="count"/> match conditions.</summary>
    private static ItemFilter Matches(int count) => ItemFilter.Any([.. Enumerable.Range(0, count).Select(i => (FilterCondition)Where.Match("n", i))]);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task The_filters_of_a_batch_share_one_budget(int shards)
    {
        var grain = await NewIndexAsync(shards);
        var half = Matches(FilterRules.MaxCost / (FilterRules.ConditionCost + 1) / 2 + 1);
        Assert.True(FilterRules.Cost(half) <= FilterRules.MaxCost);
        var query = new SearchQuery([1, 0, 0, 0], K: 2, Filter: half);
        Assert.Single(await grain.SearchBatchAsync([query], TestContext.Current.CancellationToken));
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchBatchAsync([query, query], TestContext.Current.CancellationToken));
        Assert.Equal($"searches: the filters cost {2 * FilterRules.Cost(half)}, more than the {FilterRules.MaxCost} one request may ({FilterRules.ConditionCost} per condition, 1 per value or id listed); use fewer conditions or split the request",
            error.Message);
        var alone = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.CountAsync(ItemFilter.All(half, half), TestContext.Current.CancellationToken));
        Assert.StartsWith("filter: the filters cost ", alone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_unicode_in_a_filter_is_refused_by_the_rules()
    {
        // A call from outside the silo turns an unpaired surrogate into U+FFFD on the wire; a co-hosted caller's
        // filter reaches the rules as it is.
        Assert.Equal("filter.must[0].match.value: is not valid Unicode text (an unpaired surrogate or invalid UTF-8)",
            FilterRules.Check(ItemFilter.All(Where.Match("note", "\ud83d"))));
        Assert.Equal("filter.must[0].key: is not valid Unicode text (an unpaired surrogate or invalid UTF-8)",
            FilterRules.Check(ItemFilter.All(Where.Match("a\udc00", 1))));
        Assert.Equal("filter.should[0].has_id[1]: is not valid Unicode text (an unpaired surrogate or invalid UTF-8)",
            FilterRules.Check(ItemFilter.Any(Where.HasId("a", "\ud83d"))));
        Assert.Null(FilterRules.Check(ItemFilter.All(Where.Match("note", "\ud83d\ude00"))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Metadata_a_filter_could_not_see_whole_is_refused_and_must_not_spares_the_rest(int shards)
    {
        var grain = await NewIndexAsync(shards);
        string values = string.Join(",", Enumerable.Range(0, 1100));
        foreach (var metadata in new[] { $$"""{"v":[{{values}}],"keep":true}""", """{"keep":true,"note":"\ud83d"}""" })
        {
            var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.AddAsync([new IndexItem("c", [0, 0, 1, 0], metadata)]));
            Assert.StartsWith("items[0]: metadata holds ", error.Message, StringComparison.Ordinal);
        }
        var deleted = await grain.DeleteWhereAsync(ItemFilter.None(Where.Match("keep", true)), TestContext.Current.CancellationToken);
        Assert.Equal(1, deleted.Deleted);
        Assert.Equal(["a"], (await grain.QueryItemsAsync(new ItemQuery(), TestContext.Current.CancellationToken)).Items.Select(i => i.Id));
    }
}
