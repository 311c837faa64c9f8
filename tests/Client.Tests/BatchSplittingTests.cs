using System.Text;
using System.Text.Json;
using Vectord.Contracts;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>Batches larger than one call may carry (10,000 items, 64 MiB) go as several calls: the bodies' bounds
/// exactly, and real adds past each cap that the node would refuse in one call.</summary>
public sealed class BatchSplittingTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    [Fact]
    public void Bodies_hold_at_most_the_count_and_the_bytes_and_keep_every_entry_in_order()
    {
        string[] ids = [.. Enumerable.Range(0, 25).Select(i => $"id-{i:D2}")];   // "id-00" is 7 bytes of JSON

        byte[][] byCount = [.. BatchBodies.Split(ids, "ids", GatewayJsonContext.Default.String, maxCount: 10)];
        Assert.Equal([10, 10, 5], byCount.Select(b => Ids(b).Length));

        // {"ids":[ + 4 entries of 7 bytes + 3 commas + ]} = 8 + 28 + 3 + 2 = 41 bytes; a fifth entry makes 49.
        byte[][] byBytes = [.. BatchBodies.Split(ids, "ids", GatewayJsonContext.Default.String, maxCount: 100, maxBytes: 48)];
        Assert.All(byBytes, b => Assert.True(b.Length <= 48));
        Assert.Equal(41, byBytes[0].Length);
        Assert.Equal(ids, byBytes.SelectMany(Ids));

        byte[][] single = [.. BatchBodies.Split(ids[..1], "ids", GatewayJsonContext.Default.String, maxCount: 100, maxBytes: 5)];
        Assert.Equal("""{"ids":["id-00"]}""", Encoding.UTF8.GetString(Assert.Single(single)));
        Assert.Empty(BatchBodies.Split(Array.Empty<string>(), "ids", GatewayJsonContext.Default.String, maxCount: 10));
    }

    [Fact]
    public void Bodies_hold_at_most_the_cost_and_an_entry_costlier_than_the_budget_goes_alone()
    {
        string[] ids = [.. Enumerable.Range(0, 6).Select(i => $"id-{i:D2}")];
        long[] costs = [40, 40, 30, 200, 10, 10];

        byte[][] bodies = [.. BatchBodies.Split(ids, "ids", GatewayJsonContext.Default.String, maxCount: 100, costs: costs, maxCost: 100)];

        Assert.Equal([["id-00", "id-01"], ["id-02"], ["id-03"], ["id-04", "id-05"]], bodies.Select(Ids));
    }

    [Fact]
    public async Task A_batch_of_searches_whose_filters_pass_the_budget_goes_as_several_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("costly");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        await _client.AddAsync(name, [.. Enumerable.Range(0, 10).Select(i => new IndexItem($"i{i}", [i, 0], $$"""{"n":{{i}}}"""))], ct);
        // Each filter costs 2 x 64 + 1 = 129: 300 of them are more than one call's budget, fewer than its 1024 searches.
        SearchQuery[] queries = [.. Enumerable.Range(0, 300).Select(i => new SearchQuery([i % 10, 0], K: 1,
            Filter: ItemFilter.All(Where.Match("n", i % 10), Where.Range("n", gte: 0))))];
        Assert.True(queries.Sum(q => FilterRules.Cost(q.Filter)) > FilterRules.MaxCost);

        SearchHit[][] results = await _client.SearchBatchAsync(name, queries, ct);

        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => $"i{i % 10}")], results.Select(r => Assert.Single(r).Id));
    }

    [Fact]
    public async Task An_add_of_more_than_10000_items_goes_as_several_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("many");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        IndexItem[] items = [.. Enumerable.Range(0, 25_000).Select(i => new IndexItem($"i{i}", [i, 1]))];

        Assert.Equal(new AddResult(25_000, 25_000), await _client.AddAsync(name, items, ct));

        Assert.Equal(25_000, await _client.CountAsync(name, cancellationToken: ct));
        Assert.Equal(new DeleteResult(25_000, 0), await _client.DeleteItemsAsync(name, [.. items.Select(i => i.Id)], ct));
    }

    [Fact]
    public async Task An_add_of_more_than_64_MiB_goes_as_several_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("large");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        // 1,100 items with 63 KiB of metadata each: about 69 MiB of JSON, over the 64 MiB a call may carry.
        string padding = new('x', 63 * 1024);
        IndexItem[] items = [.. Enumerable.Range(0, 1_100).Select(i => new IndexItem($"i{i}", [i, 1], $$"""{"i":{{i}},"p":"{{padding}}"}"""))];
        Assert.True(items.Sum(i => (long)i.Metadata!.Length) > ItemLimits.MaxRequestBodyBytes);

        Assert.Equal(new AddResult(1_100, 1_100), await _client.AddAsync(name, items, ct));

        IndexItem? last = await _client.GetItemAsync(name, "i1099", ct);
        Assert.Equal(items[^1].Metadata, last?.Metadata);
    }

    private static string[] Ids(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!)];
    }
}
