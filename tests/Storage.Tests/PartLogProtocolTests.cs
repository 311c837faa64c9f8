using Vectord.Hnsw;
using Vectord.Storage.Log;
using Vectord.Testing;

namespace Vectord.Storage.Tests;

/// <summary>The write-ahead log of one part (<see cref="PartLog"/>) straight over a <see cref="FileIndexBlobStore"/>
/// in a temporary directory and the engine, with no grain and no cluster: what is appended is what a recovery
/// replays, a second writer fences the first off, a snapshot covers and removes the records before it, and a damaged
/// record is named.</summary>
public sealed class PartLogProtocolTests : IDisposable
{
    private static readonly HnswOptions Options = new(3, DistanceKind.Euclidean);
    private static readonly SnapshotPolicy NeverDue = new(LogRatio: 1e9, MinLogBytes: long.MaxValue);
    private readonly TempDirectory _directory = new("vectord-storage-log");
    private readonly FileIndexBlobStore _store;
    private readonly PartLocation _location = new("idx", "g1", 0);

    public PartLogProtocolTests() => _store = new FileIndexBlobStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    private Task<DocumentCheckpoint> CheckpointAsync() => DocumentCheckpoint.ReadAsync(_store, _location.Checkpoint, _location.ToString());

    private async Task<(HnswIndex Index, PartLog Log)> RecoverAsync() =>
        await PartLog.RecoverAsync(_store, _location, await CheckpointAsync(), NeverDue, Options);

    private static VectorItem Item(string id, float x) => new(id, [x, 1, 2], System.Text.Encoding.UTF8.GetBytes($"{{\"x\":{x}}}"));

    /// <summary>Appends a record, then applies it, as a part's writer does.</summary>
    private static async Task WriteAsync(PartLog log, HnswIndex index, WalRecord record)
    {
        Assert.True(await log.TryAppendAsync(record));
        PartLog.Apply(index, record);
    }

    private static Dictionary<string, string> Contents(HnswIndex index) =>
        index.GetIds().ToDictionary(id => id, id => index.TryGet(id, out var item)
            ? $"{string.Join(',', item.Vector)}|{System.Text.Encoding.UTF8.GetString(item.Metadata ?? [])}" : "", StringComparer.Ordinal);

    [Fact]
    public async Task What_was_appended_is_what_a_recovery_replays_in_order()
    {
        var (index, log) = await RecoverAsync();
        await WriteAsync(log, index, log.NextAdd([Item("a", 1), Item("b", 2), Item("c", 3)]));
        await WriteAsync(log, index, log.NextDelete(["b"]));
        await WriteAsync(log, index, log.NextAdd([Item("a", 9), Item("d", 4)]));   // an upsert of a
        Assert.Equal(3, log.Seq);

        var (recovered, again) = await RecoverAsync();
        Assert.Equal(3, again.Seq);
        Assert.Equal(log.LogBytes, again.LogBytes);
        Assert.Equal(Contents(index), Contents(recovered));
        Assert.Equal(["a", "c", "d"], recovered.GetIds().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_writer_fences_the_first_off()
    {
        var (index, first) = await RecoverAsync();
        await WriteAsync(first, index, first.NextAdd([Item("a", 1)]));

        var (other, second) = await RecoverAsync();   // another activation loads the part
        await WriteAsync(second, other, second.NextAdd([Item("b", 2)]));

        Assert.False(await first.TryAppendAsync(first.NextAdd([Item("c", 3)])));   // its record 2 exists: it must stop
        var (recovered, _) = await RecoverAsync();
        Assert.Equal(["a", "b"], recovered.GetIds().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_snapshot_covers_the_records_before_it_and_removes_them()
    {
        var (index, log) = await RecoverAsync();
        for (var i = 0; i < 5; i++) { await WriteAsync(log, index, log.NextAdd([Item($"i{i}", i)])); }
        Assert.True(await log.TryCompactAsync(index));
        await WriteAsync(log, index, log.NextDelete(["i0"]));

        Assert.Equal([_location.Wal(6)], (await _store.ListAsync(_location.WalPrefix, TestContext.Current.CancellationToken)).Select(o => o.Key));
        Assert.Equal(5, (await CheckpointAsync()).SnapshotSeq);
        var (recovered, again) = await RecoverAsync();
        Assert.Equal(6, again.Seq);
        Assert.Equal(Contents(index), Contents(recovered));
    }

    [Fact]
    public async Task A_damaged_or_missing_record_is_named_by_the_recovery()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, log) = await RecoverAsync();
        for (var i = 0; i < 3; i++) { await WriteAsync(log, index, log.NextAdd([Item($"i{i}", i)])); }

        await _store.DeleteAsync(_location.Wal(2), ct);
        Assert.True(await _store.TryCreateAsync(_location.Wal(2), new byte[] { 1, 2, 3, 4 }, ct));
        var damaged = await Assert.ThrowsAsync<IndexCorruptException>(RecoverAsync);
        Assert.Contains("log record 2", damaged.Message, StringComparison.Ordinal);

        await _store.DeleteAsync(_location.Wal(2), ct);
        var missing = await Assert.ThrowsAsync<IndexCorruptException>(RecoverAsync);
        Assert.Contains("log record 2 is missing", missing.Message, StringComparison.Ordinal);
    }
}
