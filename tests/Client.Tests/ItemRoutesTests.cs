using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>The item routes through the client against a real node: add (upsert), get, delete one, delete many,
/// metadata kept byte for byte, and their errors.</summary>
public sealed class ItemRoutesTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    [Fact]
    public async Task Add_get_upsert_and_delete_items()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("items");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);

        AddResult added = await _client.AddAsync(name,
        [
            new IndexItem("plain", [0, 0]),
            new IndexItem("object", [1, 0], """{"tag":"x","n":1.50,"nested":{"a":[1,2]}}"""),
            new IndexItem("json-null", [2, 0], "null"),
            new IndexItem("a/b c/é", [3, 0], "\"text\""),
        ], ct);
        Assert.Equal(new AddResult(4, 4), added);

        IndexItem plain = Assert.IsType<IndexItem>(await _client.GetItemAsync(name, "plain", ct));
        Assert.Equal("plain", plain.Id);
        Assert.Equal([0f, 0f], plain.Vector);
        Assert.Null(plain.Metadata);
        Assert.Equal("""{"tag":"x","n":1.50,"nested":{"a":[1,2]}}""", (await _client.GetItemAsync(name, "object", ct))?.Metadata);
        Assert.Equal("null", (await _client.GetItemAsync(name, "json-null", ct))?.Metadata);
        IndexItem slashed = Assert.IsType<IndexItem>(await _client.GetItemAsync(name, "a/b c/é", ct));
        Assert.Equal("a/b c/é", slashed.Id);
        Assert.Equal([3f, 0f], slashed.Vector);
        Assert.Null(await _client.GetItemAsync(name, "absent", ct));

        Assert.Equal(new AddResult(1, 4), await _client.AddAsync(name, [new IndexItem("plain", [9, 9], """{"v":2}""")], ct));
        IndexItem replaced = Assert.IsType<IndexItem>(await _client.GetItemAsync(name, "plain", ct));
        Assert.Equal([9f, 9f], replaced.Vector);
        Assert.Equal("""{"v":2}""", replaced.Metadata);

        Assert.True(await _client.DeleteItemAsync(name, "a/b c/é", ct));
        Assert.False(await _client.DeleteItemAsync(name, "a/b c/é", ct));
        Assert.Null(await _client.GetItemAsync(name, "a/b c/é", ct));

        Assert.Equal(new DeleteResult(2, 1), await _client.DeleteItemsAsync(name, ["object", "json-null", "never-there"], ct));
        Assert.Equal(1, await _client.CountAsync(name, cancellationToken: ct));
    }

    [Fact]
    public async Task A_missing_index_is_not_a_missing_item()
    {
        var ct = TestContext.Current.CancellationToken;
        string missing = NodeFixture.NewName("no-index");
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.GetItemAsync(missing, "a", ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.DeleteItemAsync(missing, "a", ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(
            () => _client.AddAsync(missing, [new IndexItem("a", [1, 0])], ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<IndexNotFoundException>(() => _client.DeleteItemsAsync(missing, ["a"], ct))).Status);
    }

    [Fact]
    public async Task An_invalid_batch_is_refused_whole_with_the_services_words()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("invalid");
        await _client.CreateIndexAsync(name, new IndexSpec(2), ct);

        var mismatch = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.AddAsync(name, [new IndexItem("ok", [1, 0]), new IndexItem("bad", [1, 0, 0])], ct));
        Assert.Equal(400, mismatch.Status);
        Assert.StartsWith("items[1]: ", mismatch.Message, StringComparison.Ordinal);

        var zero = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.AddAsync(name, [new IndexItem("z", [0, 0])], ct));
        Assert.Contains("items[0]", zero.Message, StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.AddAsync(name, [new IndexItem("", [1, 0])], ct));
        Assert.Equal("items[0]: empty id", empty.Message);
        Assert.Equal(0, await _client.CountAsync(name, cancellationToken: ct));
    }
}
