using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>Replicas through the client against the real node of one silo: the count at create and in the index's
/// parameters, the copies the shards listing names, and the consistency of searches.</summary>
public sealed class ReplicaRoutesTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    [Fact]
    public async Task One_replica_is_echoed_and_the_default_is_one()
    {
        var ct = TestContext.Current.CancellationToken;
        string one = NodeFixture.NewName("replicas-one");
        string plain = NodeFixture.NewName("replicas-default");

        IndexInfo created = await _client.CreateIndexAsync(one, new IndexSpec(2, Shards: 2, Replicas: 1), ct);
        IndexInfo byDefault = await _client.CreateIndexAsync(plain, new IndexSpec(2), ct);

        Assert.Equal((1, 2), (created.Replicas, created.Shards));
        Assert.Equal(created, await _client.GetIndexAsync(one, ct));
        Assert.Equal(1, byDefault.Replicas);
    }

    [Fact]
    public async Task More_replicas_than_the_clusters_silos_are_refused_with_the_silo_count()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("replicas-two");

        var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync(name, new IndexSpec(2, Replicas: 2), ct));

        Assert.Equal(400, refused.Status);
        Assert.Contains("replicas must be at most the cluster's 1 active silo(s)", refused.Message, StringComparison.Ordinal);
        Assert.False(await _client.IndexExistsAsync(name, ct));
        var outOfRange = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.CreateIndexAsync(name, new IndexSpec(2, Replicas: IndexLimits.MaxReplicas + 1), ct));
        Assert.Contains($"between 1 and {IndexLimits.MaxReplicas}", outOfRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shards_listing_names_each_copy_and_its_log_position_grows_with_a_write()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("replicas-shards");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Shards: 2), ct);
        ShardInfo[] before = await _client.GetShardsAsync(name, ct);

        await _client.AddAsync(name, [.. Enumerable.Range(0, 20).Select(i => new IndexItem($"i{i}", [i + 1, 1]))], ct);
        ShardInfo[] after = await _client.GetShardsAsync(name, ct);

        Assert.Equal([0, 1], after.Select(s => s.Shard));
        Assert.All(after, s =>
        {
            Assert.Equal((0, CopyRole.Primary, 0L, true), (s.Replica, s.Role, s.Lag, s.Ready));
            Assert.NotNull(s.Silo);
        });
        Assert.Equal(20, after.Sum(s => s.Length));
        // 20 ids hashed over 2 shards: each shard took a share of the write, so each primary's log moved on.
        Assert.All(after.Zip(before), pair => Assert.True(pair.First.LogPosition > pair.Second.LogPosition,
            $"shard {pair.First.Shard}: log position {pair.Second.LogPosition} before the add, {pair.First.LogPosition} after"));
    }

    [Fact]
    public async Task A_search_reading_the_primaries_answers_as_the_default_one()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("replicas-search");
        await _client.CreateIndexAsync(name, new IndexSpec(2, Distance: IndexDistance.Euclidean, Shards: 2), ct);
        await _client.AddAsync(name, [.. Enumerable.Range(0, 50).Select(i => new IndexItem($"i{i:D2}", [i, 0], $$"""{"n":{{i}}}"""))], ct);
        var query = new SearchQuery([10.2f, 0], K: 5);

        SearchHit[] any = await _client.SearchAsync(name, query, ct);
        SearchHit[] primary = await _client.SearchAsync(name, query with { Consistency = ReadConsistency.Primary }, ct);
        SearchHit[][] batch = await _client.SearchBatchAsync(name,
            [query with { Consistency = ReadConsistency.Primary }, query with { Vector = [40, 0] }], ct);

        Assert.Equal(["i10", "i11", "i09", "i12", "i08"], any.Select(h => h.Id));
        Assert.Equal(any, primary);
        Assert.Equal(any, batch[0]);
        Assert.Equal("i40", batch[1][0].Id);
    }

    [Fact]
    public async Task An_unknown_consistency_is_a_400_for_a_search_and_a_batch()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = NodeFixture.NewName("replicas-consistency");
        await _client.CreateIndexAsync(name, new IndexSpec(2), ct);
        var unknown = new SearchQuery([1, 0], Consistency: (ReadConsistency)7);

        var single = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.SearchAsync(name, unknown, ct));
        var batch = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => _client.SearchBatchAsync(name, [new SearchQuery([1, 0]), unknown], ct));

        Assert.Equal((400, 400), (single.Status, batch.Status));
        Assert.Contains("unknown consistency \"7\" (expected any or primary)", single.Message, StringComparison.Ordinal);
        Assert.Contains("unknown consistency \"7\"", batch.Message, StringComparison.Ordinal);
    }
}
