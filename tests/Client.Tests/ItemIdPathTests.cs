using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>Any id reaches its item, whatever characters it holds (<c>.</c> and <c>..</c> are not ids: a 400).</summary>
public sealed class ItemIdPathTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    public static TheoryData<string> Ids => new()
    {
        "a/../b", "a/./b", "a//b", "/lead", "trail/", "%2F", "%", "?x#y", " ", "a\\b", "é/ü", "+&=;",
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Get_and_delete_reach_the_item_with_this_id(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("ids");
        await _client.CreateIndexAsync(name, new IndexSpec(2), ct);
        await _client.AddAsync(name, [new IndexItem(id, [1, 0]), new IndexItem("other", [0, 1])], ct);

        IndexItem item = Assert.IsType<IndexItem>(await _client.GetItemAsync(name, id, ct));
        Assert.Equal(id, item.Id);
        Assert.True(await _client.DeleteItemAsync(name, id, ct));
        Assert.Null(await _client.GetItemAsync(name, id, ct));
        Assert.False(await _client.DeleteItemAsync(name, id, ct));
        Assert.Equal(1, await _client.CountAsync(name, cancellationToken: ct));
    }
}
