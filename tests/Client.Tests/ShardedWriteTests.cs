using System.IO.Hashing;
using System.Text;
using Vectord.Client;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>The client exposes which shards applied a write that failed on others.</summary>
public sealed class ShardedWriteTests
{
    [Fact]
    public async Task A_partly_applied_add_throws_with_the_shards_that_applied_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("vectord-client-shards");
        await using var server = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Storage:MaxPartVectorBytes"] = "4096" });
        var client = new VectordClient(server.Client);
        string name = NodeFixture.NewName("full-shard");
        await client.CreateIndexAsync(name, new IndexSpec(8, Shards: 2), ct);
        // 4096 bytes of 8-d vectors: 128 items per part; part 1 is filled, then a batch for both parts is refused by it.
        await client.AddAsync(name, [.. IdsOf(shard: 1, 128, "fill").Select(Item)], ct);
        string[] zero = IdsOf(shard: 0, 5, "new"), one = IdsOf(shard: 1, 2, "new");

        var error = await Assert.ThrowsAsync<IndexFullException>(() => client.AddAsync(name, [.. zero.Concat(one).Select(Item)], ct));

        Assert.Equal(507, error.Status);
        Assert.Equal([0], error.AppliedShards ?? []);
        Assert.Equal([5, 128], (await client.GetShardsAsync(name, ct)).Select(s => s.Length));
        foreach (string id in zero.Concat(one))
        {
            Assert.Equal(zero.Contains(id), await client.GetItemAsync(name, id, ct) is not null);
        }
    }

    private static IndexItem Item(string id) => new(id, [1, id.Length, 0, 0, 0, 0, 0, 1]);

    private static string[] IdsOf(int shard, int count, string prefix) =>
        [.. Enumerable.Range(0, int.MaxValue).Select(i => $"{prefix}-{i}")
            .Where(id => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)) % 2 == (ulong)shard).Take(count)];
}
