using System.Security.Cryptography;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>The snapshot routes through the client against a real node: create, list, download (streamed and
/// checked), restore (into another shard count, under a new name), delete, and the errors each answers.</summary>
public sealed class SnapshotRoutesTests(NodeFixture node)
{
    private readonly VectordClient _client = node.Client;

    private async Task<(string Name, IndexItem[] Items)> IndexWithItemsAsync(string prefix, int shards, CancellationToken ct)
    {
        string name = NodeFixture.NewName(prefix);
        await _client.CreateIndexAsync(name, new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: shards), ct);
        var random = new Random(3);
        IndexItem[] items = [.. Enumerable.Range(0, 300).Select(i => new IndexItem($"i{i}",
            [.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble())], i % 2 == 0 ? $$"""{"n":{{i}}}""" : null))];
        await _client.AddAsync(name, items, ct);
        return (name, items);
    }

    [Fact]
    public async Task Create_list_download_restore_into_another_shard_count_and_delete()
    {
        var ct = TestContext.Current.CancellationToken;
        var (name, items) = await IndexWithItemsAsync("snap", shards: 1, ct);

        SnapshotInfo created = await _client.CreateSnapshotAsync(name, ct);
        Assert.Equal(items.Length, created.Length);
        Assert.StartsWith(name + "-", created.Name, StringComparison.Ordinal);
        Assert.InRange(created.Created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(created, Assert.Single(await _client.ListSnapshotsAsync(name, ct)));

        using var file = new MemoryStream();
        long lastReported = 0;
        SnapshotTransfer transfer = await _client.DownloadSnapshotAsync(name, created.Name, file, new Counter(b => lastReported = b), ct);
        Assert.Equal(created.Size, transfer.Bytes);
        Assert.Equal(created.Size, file.Length);
        Assert.Equal(created.Size, lastReported);
        Assert.Equal(created.Sha256, transfer.Sha256);
        Assert.Equal(created.Sha256, Convert.ToHexStringLower(SHA256.HashData(file.ToArray())));

        file.Position = 0;
        string copy = name + "-copy";
        long sent = 0;
        IndexInfo restored = await _client.RestoreSnapshotAsync(file, copy, shards: 3, sha256: created.Sha256, new Counter(b => sent = b), ct);
        Assert.Equal(new IndexInfo(copy, 4, 16, restored.EfSearch, IndexDistance.Euclidean, items.Length, 3), restored);
        Assert.Equal(created.Size, sent);
        Assert.True(file.CanRead, "the caller's stream stays open");
        var query = new SearchQuery(items[7].Vector, K: 10);
        Assert.Equal((await _client.SearchAsync(name, query, ct)).Select(h => h.Id), (await _client.SearchAsync(copy, query, ct)).Select(h => h.Id));
        Assert.Equal(items[0].Metadata, (await _client.GetItemAsync(copy, items[0].Id, cancellationToken: ct))!.Metadata);

        await _client.DeleteSnapshotAsync(name, created.Name, ct);
        Assert.Empty(await _client.ListSnapshotsAsync(name, ct));
    }

    [Fact]
    public async Task A_missing_snapshot_is_a_SnapshotNotFoundException_with_404()
    {
        var ct = TestContext.Current.CancellationToken;
        var (name, _) = await IndexWithItemsAsync("nosnap", shards: 1, ct);
        string missing = SnapshotNames.New(name, DateTimeOffset.UtcNow);

        var download = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => _client.DownloadSnapshotAsync(name, missing, Stream.Null, cancellationToken: ct));
        var delete = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => _client.DeleteSnapshotAsync(name, missing, ct));
        Assert.Equal(404, download.Status);
        Assert.Equal(404, delete.Status);
        Assert.Contains(missing, download.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restores_that_are_refused_create_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (name, _) = await IndexWithItemsAsync("refused", shards: 2, ct);
        SnapshotInfo snapshot = await _client.CreateSnapshotAsync(name, ct);
        using var file = new MemoryStream();
        await _client.DownloadSnapshotAsync(name, snapshot.Name, file, cancellationToken: ct);
        byte[] bytes = file.ToArray();

        var taken = await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => _client.RestoreSnapshotAsync(new MemoryStream(bytes), name, cancellationToken: ct));
        Assert.Equal(409, taken.Status);

        string target = name + "-bad";
        byte[] damaged = (byte[])bytes.Clone();
        damaged[damaged.Length / 2] ^= 0x40;
        var corrupt = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.RestoreSnapshotAsync(new MemoryStream(damaged), target, cancellationToken: ct));
        var truncated = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.RestoreSnapshotAsync(new MemoryStream(bytes[..(bytes.Length - 100)]), target, cancellationToken: ct));
        var wrongSum = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => _client.RestoreSnapshotAsync(new MemoryStream(bytes), target, sha256: new string('0', 64), cancellationToken: ct));
        Assert.All([corrupt, truncated, wrongSum], e => Assert.Equal(400, e.Status));
        Assert.False(await _client.IndexExistsAsync(target, ct));
    }

    [Fact]
    public async Task A_download_whose_bytes_do_not_have_the_announced_digest_throws()
    {
        byte[] served = [1, 2, 3, 4, 5];
        string otherDigest = Convert.ToBase64String(SHA256.HashData(new byte[] { 9 }));
        await using var stub = await StubServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers["Repr-Digest"] = $"sha-256=:{otherDigest}:";
            await context.Response.Body.WriteAsync(served);
        });
        using var http = new HttpClient { BaseAddress = stub.Address };
        var client = new VectordClient(http);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            client.DownloadSnapshotAsync("x", "x-20261203T000000000Z-00000000.snapshot", Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    private sealed class Counter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
