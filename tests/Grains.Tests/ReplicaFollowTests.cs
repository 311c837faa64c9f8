using Vectord.Storage.Tests;
using Vectord.Storage.Log;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Testing;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Tests;

/// <summary>A replica's side of the log protocol, with no cluster: a copy loaded from the storage a primary writes
/// follows the records the primary passes it, catches up from storage when it missed some, and is told to load anew
/// when a snapshot covered the ones it missed; in every case it ends holding what the primary holds, graph included.</summary>
public sealed class ReplicaFollowTests : IDisposable
{
    private static readonly HnswOptions Options = new(4, DistanceKind.Euclidean);
    private static readonly SnapshotPolicy NoSnapshots = new(LogRatio: 1000, MinLogBytes: long.MaxValue / 2);
    private readonly TempDirectory _directory = new("vectord-follow");
    private readonly FileIndexBlobStore _store;
    private readonly PartLocation _location = new("idx", "g1", 0);
    private readonly List<(WalRecord Record, byte[] Bytes, LinkChanges? Links)> _published = [];

    public ReplicaFollowTests() => _store = new FileIndexBlobStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    private async Task<IndexPart> OpenAsync(SnapshotPolicy? policy = null)
    {
        var checkpoint = await DocumentCheckpoint.ReadAsync(_store, _location.Checkpoint, _location.ToString());
        var (index, log) = await PartLog.RecoverAsync(_store, _location, checkpoint, policy ?? NoSnapshots, Options);
        return new IndexPart(index, log, new PartCapacity(PartCapacity.EngineMaxVectorBytes), revision: 0);
    }

    private async Task<IndexPart> PrimaryAsync(SnapshotPolicy? policy = null)
    {
        var primary = await OpenAsync(policy);
        primary.Applied = (record, bytes, links) => _published.Add((record, bytes, links));
        return primary;
    }

    private static async Task WriteRoundAsync(IndexPart part, int round)
    {
        var rng = new Random(round);
        if (round % 3 == 2) { await part.DeleteAsync([$"i{round - 1}-0", $"i{round - 2}-1"]); return; }
        await part.AddAsync([.. Enumerable.Range(0, 20).Select(i => new VectorItem($"i{round}-{i}",
            [rng.NextSingle(), rng.NextSingle(), rng.NextSingle(), rng.NextSingle()], System.Text.Encoding.UTF8.GetBytes($"{{\"r\":{round}}}")))]);
    }

    /// <summary>Rounds <paramref name="from"/> to <paramref name="to"/> − 1, each followed by a snapshot when the
    /// part's policy says one is due.</summary>
    private static async Task WriteCompactingAsync(IndexPart part, int from, int to)
    {
        for (var round = from; round < to; round++)
        {
            await WriteRoundAsync(part, round);
            if (part.Log.CompactionDue) { await part.CompactAsync(); }
        }
    }

    private static Dictionary<string, float[]> Contents(HnswIndex index) =>
        index.GetIds().ToDictionary(id => id, id => index.TryGet(id, out var item) ? item.Vector : [], StringComparer.Ordinal);

    private static void AssertSameCopy(IndexPart primary, IndexPart replica)
    {
        Assert.Equal(primary.Log.Seq, replica.Log.Seq);
        Assert.Equal(Contents(primary.Index), Contents(replica.Index));
        // The same graph, not only the same items: the same answers with the same distances, also to a narrow beam.
        for (var q = 0; q < 10; q++)
        {
            float[] query = [q / 10f, 1 - (q / 10f), 0.5f, q % 2];
            Assert.Equal(primary.Index.Search(query, 5, 5).Select(h => (h.Id, h.Distance)), replica.Index.Search(query, 5, 5).Select(h => (h.Id, h.Distance)));
        }
    }

    [Fact]
    public async Task A_replica_that_gets_every_record_holds_what_the_primary_holds()
    {
        var primary = await PrimaryAsync();
        for (var round = 0; round < 2; round++) { await WriteRoundAsync(primary, round); }
        var replica = await OpenAsync();
        var loadedAt = replica.Log.Seq;
        for (var round = 2; round < 12; round++) { await WriteRoundAsync(primary, round); }

        // Adds come with the link lists the primary wrote (sent as bytes), which the replica writes instead of searching.
        Assert.Contains(_published, p => p.Links is not null);
        foreach (var (record, bytes, links) in _published.Where(p => p.Record.Seq > loadedAt))
        {
            var sent = links is null ? null : LinkChanges.FromBytes(links.ToBytes());
            Assert.True(await replica.FollowAsync(WalRecord.Decode(bytes, record.Seq), bytes.Length, sent));
        }
        // A record passed twice (a call repeated after a timeout) is skipped.
        var (last, lastBytes, lastLinks) = _published[^1];
        Assert.True(await replica.FollowAsync(WalRecord.Decode(lastBytes, last.Seq), lastBytes.Length, lastLinks));
        AssertSameCopy(primary, replica);
    }

    [Fact]
    public async Task A_replica_that_missed_records_catches_up_from_storage()
    {
        var primary = await PrimaryAsync();
        var replica = await OpenAsync();
        for (var round = 0; round < 9; round++) { await WriteRoundAsync(primary, round); }

        // Only the last record reaches it: it does not follow the replica's position, so the replica refuses it ...
        var (last, bytes, _) = _published[^1];
        Assert.False(await replica.FollowAsync(WalRecord.Decode(bytes, last.Seq), bytes.Length));
        Assert.Equal(0, replica.Log.Seq);
        // ... reads the missed ones from storage, and then takes it.
        Assert.True(await replica.TryCatchUpAsync(last.Seq - 1));
        Assert.True(await replica.FollowAsync(WalRecord.Decode(bytes, last.Seq), bytes.Length));
        AssertSameCopy(primary, replica);
    }

    [Fact]
    public async Task A_replica_whose_missed_records_a_snapshot_covered_is_told_to_load_anew_and_then_matches()
    {
        var everyFewWrites = new SnapshotPolicy(LogRatio: 0.01, MinLogBytes: 600);
        var primary = await PrimaryAsync(everyFewWrites);
        var replica = await OpenAsync();
        await WriteCompactingAsync(primary, 0, 9);
        Assert.NotEmpty(await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken));

        Assert.False(await replica.TryCatchUpAsync(primary.Log.Seq));
        var reloaded = await OpenAsync();
        AssertSameCopy(primary, reloaded);
    }

    [Fact]
    public async Task A_replica_that_loads_while_its_primary_replaces_the_snapshot_loads_the_new_one()
    {
        var everyFewWrites = new SnapshotPolicy(LogRatio: 0.01, MinLogBytes: 600);
        var primary = await PrimaryAsync(everyFewWrites);
        async Task WriteAndCompactAsync(int rounds)
        {
            for (var round = 0; round < rounds; round++)
            {
                await WriteRoundAsync(primary, 100 + round + (int)primary.Log.Seq);
                if (primary.Log.CompactionDue) { await primary.CompactAsync(); }
            }
        }
        await WriteAndCompactAsync(4);
        var first = (await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken)).Single().Key;

        // The replica has read the checkpoint naming the first snapshot; before it opens it, the primary writes a new
        // snapshot and deletes the first.
        var racing = new CompactingBeforeRead(_store, first, () => WriteAndCompactAsync(6));
        var shard = new Shards.ShardContext(_location.Index, _location.Generation, new IndexSpec(4, Distance: IndexDistance.Euclidean), _location.Shard!.Value);
        using var cache = new TempDirectory("vectord-follow-cache");
        var storage = new Hosting.VectordStorageOptions { Path = cache.Path, SnapshotLogRatio = 0.01, SnapshotMinLogBytes = 600 };
        var loader = new Shards.ShardPartLoader(racing, storage, new VectorCache(storage.VectorCachePath,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<VectorCache>.Instance));

        var replica = await loader.LoadFollowingAsync(shard);
        Assert.True(racing.Raced, "the primary did not compact between the replica's reads");
        Assert.DoesNotContain(first, (await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken)).Select(o => o.Key));
        AssertSameCopy(primary, replica);

        // Loaded once, as a primary does, the same race is taken for a corrupt part.
        var once = new CompactingBeforeRead(_store, (await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken)).Single().Key,
            () => WriteAndCompactAsync(6));
        await Assert.ThrowsAsync<IndexCorruptException>(() => new Shards.ShardPartLoader(once, storage, new VectorCache(
            storage.VectorCachePath, Microsoft.Extensions.Logging.Abstractions.NullLogger<VectorCache>.Instance)).LoadAsync(shard));
    }

    private async Task<PartLog?> ContinueAsync(IndexPart replica, SnapshotPolicy policy) =>
        await PartLog.TryContinueAsync(_store, _location, await DocumentCheckpoint.ReadAsync(_store, _location.Checkpoint, _location.ToString()),
            policy, replica.Index, replica.Log.Seq);

    [Fact]
    public async Task A_replica_taking_over_applies_what_its_primary_wrote_and_never_passed_on_then_writes_as_the_primary()
    {
        var everyFewWrites = new SnapshotPolicy(LogRatio: 0.5, MinLogBytes: 600);
        var primary = await PrimaryAsync(everyFewWrites);
        var replica = await OpenAsync();
        await WriteCompactingAsync(primary, 0, 12);
        Assert.NotEmpty(await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken));
        // The replica takes every record but the last two: the primary wrote those, then died before passing them on.
        await WriteRoundAsync(primary, 12);
        await WriteRoundAsync(primary, 13);
        foreach (var (record, bytes, links) in _published.Take(_published.Count - 2))
        {
            Assert.True(await replica.FollowAsync(WalRecord.Decode(bytes, record.Seq), bytes.Length, links));
        }
        Assert.Equal(primary.Log.Seq - 2, replica.Log.Seq);

        var log = await ContinueAsync(replica, everyFewWrites);
        Assert.NotNull(log);
        var promoted = new IndexPart(replica.Index, log, new PartCapacity(PartCapacity.EngineMaxVectorBytes), revision: 0);
        AssertSameCopy(primary, promoted);
        // It counts the log since the snapshot as a load from storage does, so it compacts when a loaded primary would.
        var recovered = await OpenAsync(everyFewWrites);
        Assert.Equal(recovered.Log.LogBytes, promoted.Log.LogBytes);

        // The old primary, were it still running, is fenced off by the record the new one wrote.
        await WriteRoundAsync(promoted, 14);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => WriteRoundAsync(primary, 15));
        Assert.True(primary.IsStale);
        await WriteCompactingAsync(promoted, 15, 20);
        Assert.False(promoted.IsStale);
        // What it wrote is what storage gives a later load.
        AssertSameCopy(promoted, await OpenAsync(everyFewWrites));
    }

    [Fact]
    public async Task A_replica_lacking_records_a_snapshot_covered_does_not_take_over()
    {
        var everyFewWrites = new SnapshotPolicy(LogRatio: 0.01, MinLogBytes: 600);
        var primary = await PrimaryAsync(everyFewWrites);
        var replica = await OpenAsync();
        await WriteCompactingAsync(primary, 0, 9);
        Assert.Null(await ContinueAsync(replica, everyFewWrites));
    }

    /// <summary>Runs <c>compact</c> once, just before the first read of the snapshot <c>key</c>.</summary>
    private sealed class CompactingBeforeRead(IIndexBlobStore inner, string key, Func<Task> compact) : DelegatingStore(inner)
    {
        public bool Raced { get; private set; }

        public override async Task<Stream?> OpenReadAsync(string key1, CancellationToken cancellationToken = default)
        {
            if (!Raced && key1 == key)
            {
                Raced = true;
                await compact();
            }
            return await base.OpenReadAsync(key1, cancellationToken);
        }
    }
}
