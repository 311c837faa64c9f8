using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>Search, batch search, item queries (paged and enumerated), count and delete by filter through the
/// client against a real node; each filtered answer is checked against the same filter applied by hand.</summary>
public sealed class SearchRoutesTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    /// <summary>Items i = 0..99 at (i, 0) with metadata {"n": i, "even": i % 2 == 0, "tag": "t{i % 3}"}.</summary>
    private async Task<string> CreateLineAsync(CancellationToken ct)
    {
        string name = NodeFixture.NewName("line");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        IndexItem[] items = [.. Enumerable.Range(0, 100).Select(i => new IndexItem(
            $"i{i:D3}", [i, 0], $$"""{"n":{{i}},"even":{{(i % 2 == 0 ? "true" : "false")}},"tag":"t{{i % 3}}"}"""))];
        await _client.AddAsync(name, items, ct);
        return name;
    }

    [Fact]
    public async Task Search_returns_the_nearest_among_the_matches()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = await CreateLineAsync(ct);

        SearchHit[] plain = await _client.SearchAsync(name, new SearchQuery([10.2f, 0], K: 3), ct);
        Assert.Equal(["i010", "i011", "i009"], plain.Select(h => h.Id));
        Assert.Equal(0.2f, plain[0].Distance, 1e-4f);
        Assert.Equal("""{"n":10,"even":true,"tag":"t1"}""", plain[0].Metadata);

        var filter = ItemFilter.All(Where.Match("even", false), Where.Range("n", gte: 50));
        SearchHit[] filtered = await _client.SearchAsync(name, new SearchQuery([10, 0], K: 2, Filter: filter), ct);
        Assert.Equal(["i051", "i053"], filtered.Select(h => h.Id));
    }

    [Fact]
    public async Task A_batch_answers_each_search_in_order_and_splits_past_1024()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = await CreateLineAsync(ct);
        SearchQuery[] queries = [.. Enumerable.Range(0, 1500).Select(i => new SearchQuery([i % 100, 0], K: 1,
            Filter: i % 2 == 0 ? null : ItemFilter.All(Where.Match("tag", "t0"))))];

        SearchHit[][] results = await _client.SearchBatchAsync(name, queries, ct);

        Assert.Equal(1500, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            int n = i % 100;
            int expected = i % 2 == 0 ? n : (n % 3 == 0 ? n : n % 3 == 1 ? n - 1 : n + 1);
            Assert.Equal($"i{expected:D3}", Assert.Single(results[i]).Id);
        }
    }

    [Fact]
    public async Task Query_pages_in_id_order_and_enumerates_every_match()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = await CreateLineAsync(ct);
        var tag1 = ItemFilter.All(Where.Match("tag", "t1"));
        string[] expected = [.. Enumerable.Range(0, 100).Where(i => i % 3 == 1).Select(i => $"i{i:D3}")];

        ItemPage first = await _client.QueryItemsAsync(name, new ItemQuery(tag1, Limit: 10), ct);
        Assert.Equal(expected[..10], first.Items.Select(i => i.Id));
        Assert.All(first.Items, i => Assert.Empty(i.Vector));
        Assert.Equal(expected[9], first.Next);
        ItemPage second = await _client.QueryItemsAsync(name, new ItemQuery(tag1, Limit: 10, After: first.Next, IncludeVectors: true), ct);
        Assert.Equal(expected[10..20], second.Items.Select(i => i.Id));
        Assert.Equal([31f, 0f], second.Items[0].Vector);   // expected[10] is i031

        var all = new List<IndexItem>();
        await foreach (IndexItem item in _client.QueryAllItemsAsync(name, tag1, includeVectors: true, pageSize: 7, cancellationToken: ct))
        {
            all.Add(item);
        }
        Assert.Equal(expected, all.Select(i => i.Id));
        Assert.All(all, i => Assert.Equal(2, i.Vector.Length));

        Assert.Equal(expected.Length, await _client.CountAsync(name, tag1, ct));
        Assert.Equal(100, await _client.CountAsync(name, cancellationToken: ct));
    }

    [Fact]
    public async Task Delete_by_filter_removes_exactly_the_matches()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = await CreateLineAsync(ct);
        var below20 = ItemFilter.All(Where.Range("n", lt: 20));

        Assert.Equal(new DeleteResult(20, 80), await _client.DeleteWhereAsync(name, below20, ct));
        Assert.Equal(0, await _client.CountAsync(name, below20, ct));
        Assert.Equal("i020", (await _client.SearchAsync(name, new SearchQuery([0, 0], K: 1), ct))[0].Id);
    }

    [Fact]
    public async Task Invalid_searches_and_filters_name_the_offending_part()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = await CreateLineAsync(ct);

        var dimension = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.SearchAsync(name, new SearchQuery([1, 2, 3]), ct));
        Assert.Equal(400, dimension.Status);

        var batch = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.SearchBatchAsync(name, [new SearchQuery([1, 0]), new SearchQuery([1])], ct));
        Assert.StartsWith("searches[1]", batch.Message, StringComparison.Ordinal);

        var range = new ItemFilter(Must: [new RangeCondition("n")]);
        var badFilter = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.CountAsync(name, range, ct));
        Assert.Equal("filter.must[0].range: at least one bound is required", badFilter.Message);
        Assert.Equal(100, await _client.CountAsync(name, cancellationToken: ct));

        string missing = NodeFixture.NewName("missing");
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(
            () => _client.SearchAsync(missing, new SearchQuery([1, 0]), ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.CountAsync(missing, null, ct))).Status);
    }
}
