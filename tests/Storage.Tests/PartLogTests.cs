using Vectord.Storage.Log;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Testing;
using Vectord.Storage.Parts;

namespace Vectord.Storage.Tests;

/// <summary>The durability protocol of one part (<see cref="PartLog"/>) on a real <see cref="FileIndexBlobStore"/> in a
/// temporary directory, with no cluster: crashes between storage calls, fencing, corruption.</summary>
public sealed class PartLogTests : IDisposable
{
    private static readonly HnswOptions Options = new(4, DistanceKind.Euclidean);
    private static readonly SnapshotPolicy EveryFewWrites = new(LogRatio: 0.01, MinLogBytes: 600);
    private readonly TempDirectory _directory = new("vectord-partlog");
    private readonly FileIndexBlobStore _store;
    private readonly PartLocation _location = new("idx", "g1", 3);

    public PartLogTests() => _store = new FileIndexBlobStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    private static VectorItem Item(string id, float x) => new(id, [x, 1, 2, 3], System.Text.Encoding.UTF8.GetBytes($"{{\"x\":{x}}}"));

    private static readonly PartCapacity Unbounded = new(PartCapacity.EngineMaxVectorBytes);

    private static async Task<IndexPart> OpenAsync(IIndexBlobStore store, PartLocation location, SnapshotPolicy? policy = null, PartCapacity? capacity = null,
        HnswOptions? options = null)
    {
        var checkpoint = await DocumentCheckpoint.ReadAsync(store, location.Checkpoint, location.ToString());
        var (index, log) = await PartLog.RecoverAsync(store, location, checkpoint, policy ?? EveryFewWrites, options ?? Options);
        return new IndexPart(index, log, capacity ?? Unbounded, revision: 0);
    }

    /// <summary>The workload: adds, upserts and deletes, with a snapshot whenever the policy says so.</summary>
    private static IEnumerable<Func<IndexPart, Task>> Workload(Func<string, float, VectorItem>? make = null)
    {
        var item = make ?? Item;
        for (var i = 0; i < 12; i++)
        {
            var round = i;
            yield return round % 4 == 3
                ? part => part.DeleteAsync([$"a{round - 1}", $"b{round - 2}"])
                : part => part.AddAsync([item($"a{round}", round), item($"b{round}", -round), item("same", round)]);
        }
    }

    private static Dictionary<string, float[]> Contents(HnswIndex index) =>
        index.GetIds().ToDictionary(id => id, id => index.TryGet(id, out var item) ? item.Vector : [], StringComparer.Ordinal);

    /// <summary>Snapshots as the part's host takes them: when the log is due one, the part is frozen, and the snapshot
    /// is written only after the next write went to the log (as it is written in the background while writes go on).</summary>
    private sealed class BackgroundSnapshots
    {
        private PartImage? _pending;

        public int Written { get; private set; }

        public async Task AfterWriteAsync(IndexPart part)
        {
            if (_pending is { } image)
            {
                _pending = null;
                await part.WriteSnapshotAsync(image);
                Written++;
            }
            else if (part.Log.CompactionDue)
            {
                _pending = part.Freeze();
            }
        }

        public async Task FinishAsync(IndexPart part)
        {
            if (_pending is { } image) { await part.WriteSnapshotAsync(image); Written++; }
            _pending = null;
        }
    }

    [Fact]
    public async Task A_part_recovers_exactly_what_was_written_through_snapshots_and_log()
    {
        var part = await OpenAsync(_store, _location);
        var snapshots = new BackgroundSnapshots();
        foreach (var step in Workload()) { await step(part); await snapshots.AfterWriteAsync(part); }
        Assert.True(snapshots.Written > 0, "no snapshot was written");
        var stored = await _store.ListAsync(_location.SnapshotPrefix, TestContext.Current.CancellationToken);
        Assert.Single(stored);   // the latest snapshot removed what it superseded
        Assert.NotEqual(0, part.Log.LogBytes);   // records written while it was written stay in the log

        var again = await OpenAsync(_store, _location);
        Assert.Equal(Contents(part.Index), Contents(again.Index));
        Assert.Equal(part.Log.Seq, again.Log.Seq);
        Assert.Equal(part.Log.LogBytes, again.Log.LogBytes);
        Assert.Equal(part.Index.Search([1, 1, 2, 3], 5).Select(h => (h.Id, h.Distance)), again.Index.Search([1, 1, 2, 3], 5).Select(h => (h.Id, h.Distance)));
    }

    [Fact]
    public async Task A_part_without_vectors_recovers_its_items_and_metadata_through_snapshots_and_log()
    {
        var options = new HnswOptions(0);
        var part = await OpenAsync(_store, _location, options: options);
        var snapshots = new BackgroundSnapshots();
        foreach (var step in Workload((id, x) => Item(id, x) with { Vector = [] })) { await step(part); await snapshots.AfterWriteAsync(part); }
        await snapshots.FinishAsync(part);
        Assert.True(snapshots.Written > 0, "no snapshot was written");

        var again = await OpenAsync(_store, _location, options: options);
        Assert.Equal(part.Index.GetIds(), again.Index.GetIds());
        foreach (var id in again.Index.GetIds())
        {
            Assert.True(again.Index.TryGet(id, out var item));
            Assert.Empty(item.Vector);
            Assert.True(part.Index.TryGet(id, out var written));
            Assert.Equal(written.Metadata, item.Metadata);
        }
        Assert.Equal(part.Log.Seq, again.Log.Seq);
    }

    /// <summary>The workload's 4-component vectors as two named vectors of 2 (the engine takes their concatenation).</summary>
    private static readonly HnswOptions Named = HnswOptions.ForVectors(new VectorSpaces([
        new VectorSpace("left", 2, DistanceKind.Euclidean), new VectorSpace("right", 2, DistanceKind.Euclidean)]));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_crash_between_any_two_storage_calls_loses_no_acknowledged_write(bool callTookEffect, bool named)
    {
        // Count the storage calls of a full run, then crash at each of them in turn: before the call takes effect,
        // or right after it did but before the caller heard back.
        var options = named ? Named : Options;
        var counting = new CrashingStore(_store, crashAt: int.MaxValue, callTookEffect);
        var reference = await OpenAsync(counting, _location, options: options);
        var referenceSnapshots = new BackgroundSnapshots();
        foreach (var step in Workload()) { await step(reference); await referenceSnapshots.AfterWriteAsync(reference); }
        await referenceSnapshots.FinishAsync(reference);
        var calls = counting.Calls;
        Assert.True(calls > 20, $"only {calls} storage calls");

        for (var crashAt = 1; crashAt <= calls; crashAt++)
        {
            var location = _location with { Generation = $"crash{crashAt}" };
            var store = new CrashingStore(_store, crashAt, callTookEffect);
            var acknowledged = new Dictionary<string, float[]>(StringComparer.Ordinal);
            Dictionary<string, float[]>? inFlight = null;
            try
            {
                var part = await OpenAsync(store, location, options: options);
                var snapshots = new BackgroundSnapshots();
                foreach (var step in Workload())
                {
                    var before = Contents(part.Index);
                    try
                    {
                        await step(part);
                    }
                    catch (StorageUnavailableException)
                    {
                        // The write did not complete: storage may hold it or not. Memory must be as before.
                        inFlight = ExpectedAfter(step, before);
                        Assert.Equal(before, Contents(part.Index));
                        throw;
                    }
                    acknowledged = Contents(part.Index);
                    await snapshots.AfterWriteAsync(part);
                }
                await snapshots.FinishAsync(part);
            }
            catch (StorageUnavailableException)
            {
                // crashed here
            }

            var recovered = Contents((await OpenAsync(_store, location, options: options)).Index);
            Assert.True(Same(recovered, acknowledged) || (inFlight is not null && Same(recovered, inFlight)),
                $"crash at call {crashAt} ({(callTookEffect ? "after" : "before")} it took effect): recovered {recovered.Count} items, acknowledged {acknowledged.Count}");
        }
    }

    private static Dictionary<string, float[]> ExpectedAfter(Func<IndexPart, Task> step, Dictionary<string, float[]> before)
    {
        // Replays the step on a throw-away in-memory copy to learn what the in-flight write would have made.
        var index = new HnswIndex(Options);
        index.AddBatch([.. before.Select(p => new VectorItem(p.Key, p.Value))], 1);
        var scratch = new TempDirectory("vectord-partlog-scratch");
        try
        {
            var store = new FileIndexBlobStore(scratch.Path);
            var location = new PartLocation("scratch", "g", 0);
            var part = new IndexPart(index, PartLog.Start(store, location, new MemoryCheckpoint(), new SnapshotPolicy(1, long.MaxValue)), Unbounded, revision: 0);
            step(part).GetAwaiter().GetResult();
            return Contents(part.Index);
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static bool Same(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v.SequenceEqual(p.Value));

    [Fact]
    public async Task A_stale_second_writer_is_fenced_off_by_the_log()
    {
        var first = await OpenAsync(_store, _location);
        var second = await OpenAsync(_store, _location);   // a second activation of the same part
        await first.AddAsync([Item("x", 1)]);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => second.AddAsync([Item("y", 2)]));
        Assert.Equal(StorageUnavailableException.IndexMoved, error.Message);
        Assert.True(second.IsStale);
        Assert.Equal(0, second.Count);   // nothing applied in memory
        Assert.Equal(["x"], (await OpenAsync(_store, _location)).Index.GetIds());
    }

    [Fact]
    public async Task A_stale_second_writer_is_fenced_off_by_the_checkpoint()
    {
        var policy = new SnapshotPolicy(1, long.MaxValue);
        var first = await OpenAsync(_store, _location, policy);
        var second = await OpenAsync(_store, _location, policy);
        await first.AddAsync([Item("x", 1)]);
        await first.CompactAsync();
        Assert.False(first.IsStale);

        await second.CompactAsync();   // its checkpoint version is the one it read before the first moved it
        Assert.True(second.IsStale);
        Assert.Equal(["x"], (await OpenAsync(_store, _location)).Index.GetIds());
    }

    [Fact]
    public async Task A_damaged_record_makes_the_part_corrupt_and_names_the_record()
    {
        var part = await OpenAsync(_store, _location, new SnapshotPolicy(1, long.MaxValue));
        await part.AddAsync([Item("x", 1)]);
        await part.AddAsync([Item("y", 2)]);
        var path = Path.Combine(_directory.Path, _location.Wal(2));
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        bytes[30] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IndexCorruptException>(() => OpenAsync(_store, _location));
        Assert.Equal("index 'idx' shard 3 is corrupt: log record 2: log record checksum mismatch", error.Message);
    }

    [Fact]
    public async Task A_gap_in_the_log_makes_the_part_corrupt()
    {
        var part = await OpenAsync(_store, _location, new SnapshotPolicy(1, long.MaxValue));
        for (var i = 0; i < 3; i++) { await part.AddAsync([Item($"x{i}", i)]); }
        await _store.DeleteAsync(_location.Wal(2), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IndexCorruptException>(() => OpenAsync(_store, _location));
        Assert.Contains("log record 2 is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_the_engine_refuses_makes_the_part_corrupt_and_names_the_record()
    {
        var part = await OpenAsync(_store, _location, new SnapshotPolicy(1, long.MaxValue));
        await part.AddAsync([Item("x", 1)]);
        // A record whose vector has the wrong dimension for this part: intact on disk, refused by the engine.
        Assert.True(await _store.TryCreateAsync(_location.Wal(2), WalRecord.Add(2, [new VectorItem("bad", [1, 2])]).Encode(), TestContext.Current.CancellationToken));

        var error = await Assert.ThrowsAsync<IndexCorruptException>(() => OpenAsync(_store, _location));
        Assert.StartsWith("index 'idx' shard 3 is corrupt: log record 2 could not be applied:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Direct_searches_beside_writes_answer_with_whole_items_throughout()
    {
        var part = await OpenAsync(_store, _location, new SnapshotPolicy(1, long.MaxValue));
        await part.AddAsync([Item("seed", 0)]);
        var writing = true;
        var answered = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // Each reader runs while the writes do, then until it has had one answer: on two busy cores a reader may
        // not be scheduled before the writes end.
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            var mine = 0;
            while ((Volatile.Read(ref writing) || mine == 0) && DateTime.UtcNow < deadline)
            {
                var answers = part.TrySearchDirect([new SearchQuery([random.NextSingle() * 50, 1, 2, 3], 5, 32)], revision: 0);
                Assert.NotNull(answers);   // the part is never stale here, and reads no longer wait for writes
                var hits = Assert.Single(answers);
                Assert.InRange(hits.Length, 1, 5);
                Assert.All(hits, h => Assert.NotNull(h.Id));
                Interlocked.Increment(ref answered);
                mine++;
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        for (var i = 0; i < 40; i++)
        {
            await part.AddAsync([.. Enumerable.Range(0, 25).Select(j => Item($"w{i}-{j}", (i * 25) + j))]);
            await part.DeleteAsync([$"w{i}-3", $"w{i}-7"]);
        }
        Volatile.Write(ref writing, false);
        await Task.WhenAll(readers);
        Assert.True(answered >= readers.Length);
        Assert.Equal(1 + (40 * 23), part.Count);
        Assert.Equal(part.Index.Search([12, 1, 2, 3], 3).Select(h => h.Id), part.TrySearchDirect([new SearchQuery([12, 1, 2, 3], 3, 0)], revision: 0, TestContext.Current.CancellationToken)![0].Select(h => h.Id));
    }

    [Fact]
    public async Task A_part_at_its_capacity_refuses_new_items_before_logging_them_and_still_takes_upserts()
    {
        // 4096 bytes of 4-dimensional vectors: 256 items.
        var part = await OpenAsync(_store, _location, capacity: new PartCapacity(4096));
        await part.AddAsync([.. Enumerable.Range(0, 250).Select(i => Item($"i{i}", i))]);
        var seq = part.Log.Seq;

        var full = await Assert.ThrowsAsync<IndexFullException>(() => part.AddAsync([.. Enumerable.Range(250, 7).Select(i => Item($"i{i}", i))]));
        Assert.Equal("an index part holds at most 256 vectors of dimension 4; it has 250 and this write adds 7", full.Message);
        Assert.Equal(seq, part.Log.Seq);
        Assert.False(part.IsStale);

        // Replacing items and adding up to the limit still fit.
        await part.AddAsync([Item("i0", -1), .. Enumerable.Range(250, 6).Select(i => Item($"i{i}", i))]);
        Assert.Equal(256, part.Count);
        var reopened = await OpenAsync(_store, _location);
        Assert.Equal(256, reopened.Count);
        Assert.True(reopened.Index.TryGet("i0", out var replaced));
        Assert.Equal(-1, replaced.Vector[0]);
    }

    [Fact]
    public async Task A_write_the_engine_cannot_apply_after_it_was_logged_is_taken_back_and_never_replayed()
    {
        var part = await OpenAsync(_store, _location);
        await part.AddAsync([Item("a", 1)]);
        var seq = part.Log.Seq;

        // The engine refuses this batch only when applying it (its second vector is too short): after the record was written.
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => part.AddAsync([Item("b", 2), new VectorItem("c", [1, 2])]));
        Assert.Equal("items[1]: dim mismatch (index=4, got=2)", failure.Message);
        Assert.True(part.IsStale);

        // Storage holds the log without that record: the write is not committed, and the part reloads cleanly.
        var reopened = await OpenAsync(_store, _location);
        Assert.Equal(seq, reopened.Log.Seq);
        Assert.Equal(["a"], reopened.Index.GetIds().Order());
        await reopened.AddAsync([Item("d", 4)]);
        Assert.Equal(seq + 1, reopened.Log.Seq);
        Assert.Equal(2, (await OpenAsync(_store, _location)).Count);
    }

    [Fact]
    public async Task A_write_neither_applied_nor_taken_back_reports_an_unknown_outcome_not_a_failure()
    {
        var store = new UndeletableStore(_store);
        var part = await OpenAsync(store, _location);
        await part.AddAsync([Item("a", 1)]);
        var unknown = await Assert.ThrowsAsync<WriteOutcomeUnknownException>(() => part.AddAsync([Item("b", 2), new VectorItem("c", [1, 2])]));
        var seq = part.Log.Seq;
        Assert.Contains($"log record {seq} ", unknown.Message, StringComparison.Ordinal);
        Assert.True(part.IsStale);
        // The record stayed; replaying it fails the same way, which the reload reports as a corrupt index naming it.
        var corrupt = await Assert.ThrowsAsync<IndexCorruptException>(() => OpenAsync(_store, _location));
        Assert.Contains($"log record {seq}", corrupt.Message, StringComparison.Ordinal);
    }

    /// <summary>A store whose deletes fail, as storage that went away right after a write.</summary>
    private sealed class UndeletableStore(IIndexBlobStore inner) : DelegatingStore(inner)
    {
        public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new StorageUnavailableException("gone");

        public override Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => throw new StorageUnavailableException("gone");
    }

    /// <summary>Fails every storage call from the <c>crashAt</c>-th on, as a process that died there would stop
    /// calling: either before that call took effect or right after it did.</summary>
    private sealed class CrashingStore(IIndexBlobStore inner, int crashAt, bool callTookEffect) : IIndexBlobStore
    {
        public int Calls { get; private set; }

        private async Task<T> Call<T>(Func<Task<T>> call)
        {
            Calls++;
            if (Calls < crashAt) { return await call(); }
            if (Calls == crashAt && callTookEffect) { await call(); }
            throw new StorageUnavailableException("crashed");
        }

        public Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            Call(() => inner.TryCreateAsync(key, content, cancellationToken));

        public Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default) =>
            Call(() => inner.TryCreateAsync(key, write, cancellationToken));

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
            Call(() => inner.OpenReadAsync(key, cancellationToken));

        public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            Call(() => inner.ListAsync(prefix, cancellationToken));

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
            Call(async () => { await inner.DeleteAsync(key, cancellationToken); return 0; });

        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
            Call(async () => { await inner.DeletePrefixAsync(prefix, cancellationToken); return 0; });

        public Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default) =>
            Call(() => inner.ReadDocumentAsync(key, cancellationToken));

        public Task<string> WriteDocumentAsync(string key, ReadOnlyMemory<byte> content, string? expectedETag, CancellationToken cancellationToken = default) =>
            Call(() => inner.WriteDocumentAsync(key, content, expectedETag, cancellationToken));

        public Task DeleteDocumentAsync(string key, string? expectedETag, CancellationToken cancellationToken = default) =>
            Call(async () => { await inner.DeleteDocumentAsync(key, expectedETag, cancellationToken); return 0; });
    }

    private sealed class MemoryCheckpoint : IPartCheckpoint
    {
        public long SnapshotSeq { get; private set; }

        public long SnapshotBytes { get; private set; }

        public Task<bool> TryMoveAsync(long seq, long bytes)
        {
            (SnapshotSeq, SnapshotBytes) = (seq, bytes);
            return Task.FromResult(true);
        }
    }

    [Fact]
    public async Task A_part_takes_the_text_fields_of_a_later_spec_revision_only_and_keeps_them_with_its_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var part = await OpenAsync(_store, _location);
        await part.AddAsync([new VectorItem("a", [0, 1, 2, 3], "{\"body\":\"red fox\"}"u8.ToArray()), new VectorItem("b", [1, 1, 2, 3], "{\"body\":\"blue river\"}"u8.ToArray())]);
        Assert.Null(part.Index.TextOptions);
        SearchQuery[] words = [new SearchQuery([], 5, Text: new TextQuery("fox river"))];
        Assert.Null(part.TrySearchDirect(words, revision: 1, ct));   // checked against a revision the part does not hold

        var body = new Hnsw.Text.TextOptions([new Hnsw.Text.TextField("body")]);
        await part.IndexTextAsync(body, revision: 2);
        Assert.Equal(2, part.Revision);
        Assert.Equal(["a", "b"], part.TrySearchDirect(words, revision: 2, ct)![0].Select(h => h.Id).Order(StringComparer.Ordinal));

        await part.IndexTextAsync(null, revision: 1);   // a caller that knew an earlier spec changes nothing
        Assert.Same(body, part.Index.TextOptions);
        await part.AddAsync([new VectorItem("c", [2, 1, 2, 3], "{\"body\":\"fox den\"}"u8.ToArray())]);
        Assert.Equal(["a", "c"], part.Index.SearchText("fox", 5, cancellationToken: ct).Select(h => h.Id).Order(StringComparer.Ordinal));
    }
}
