using Vectord.Storage;
using Vectord.Hnsw;

namespace Vectord.Storage.Log;

/// <summary>
/// The durability protocol of one part of an index, over an <see cref="IIndexBlobStore"/>:
/// <list type="bullet">
/// <item>every write is first made durable as one log record, created only if its sequence number is absent; finding
/// it present means another activation wrote it, so this one is fenced off and must stop (<see cref="TryAppendAsync(WalRecord)"/>);</item>
/// <item>when the log outgrows the <see cref="SnapshotPolicy"/>, a snapshot is written under the current sequence
/// number, the checkpoint is moved to it (a conditional write, the second fence) and the covered records and older
/// snapshots are deleted; the snapshot is written from a frozen copy of the index while later records go on being
/// appended (<see cref="Freeze"/>, <see cref="TryWriteSnapshotAsync"/>), or from the index itself when nothing
/// writes meanwhile (<see cref="TryCompactAsync"/>);</item>
/// <item>recovery reads the checkpoint's snapshot and replays the later records in order; a gap, a damaged record or
/// one the engine refuses makes the part corrupt, named with the record (<see cref="RecoverAsync"/>).</item>
/// </list>
/// A crash between any two storage calls leaves either the old state or the new one: a record is the commit point of
/// its write, a snapshot is invisible until the checkpoint points at it, and deletions only remove what the
/// checkpoint no longer needs.
/// </summary>
internal sealed class PartLog
{
    private readonly IIndexBlobStore _store;
    private readonly IPartCheckpoint _checkpoint;
    private readonly SnapshotPolicy _policy;

    private PartLog(IIndexBlobStore store, PartLocation location, IPartCheckpoint checkpoint, SnapshotPolicy policy, long seq, long logBytes)
    {
        _store = store;
        Location = location;
        _checkpoint = checkpoint;
        _policy = policy;
        Seq = seq;
        LogBytes = logBytes;
    }

    /// <summary>Where the part's data lives.</summary>
    public PartLocation Location { get; }

    /// <summary>Sequence number of the last durable record.</summary>
    public long Seq { get; private set; }

    /// <summary>Bytes of log written since the latest snapshot.</summary>
    public long LogBytes { get; private set; }

    /// <summary>Bytes of log this instance has appended in all.</summary>
    public long TotalAppended { get; private set; }

    /// <summary>True when the log has outgrown the latest snapshot by the policy.</summary>
    public bool CompactionDue => _policy.IsDue(LogBytes, _checkpoint.SnapshotBytes);

    /// <summary>Starts the log of a new, empty part.</summary>
    public static PartLog Start(IIndexBlobStore store, PartLocation location, IPartCheckpoint checkpoint, SnapshotPolicy policy) =>
        new(store, location, checkpoint, policy, checkpoint.SnapshotSeq, 0);

    /// <summary>Rebuilds the part from storage: the checkpoint's snapshot (or an empty index with
    /// <paramref name="options"/>), then every later log record in order; with its vectors in
    /// <paramref name="vectorFile"/> (written anew) or, when null, on the heap.</summary>
    /// <exception cref="IndexCorruptException">The snapshot or a record is missing, damaged or refused; the message names it.</exception>
    /// <exception cref="IndexFullException">The node has not the memory to hold the part now (the message names it);
    /// nothing is wrong with what is stored.</exception>
    /// <exception cref="StorageUnavailableException">Storage failed.</exception>
    public static async Task<(HnswIndex Index, PartLog Log)> RecoverAsync(
        IIndexBlobStore store, PartLocation location, IPartCheckpoint checkpoint, SnapshotPolicy policy, HnswOptions options,
        string? vectorFile = null)
    {
        try
        {
            return await ReplayAsync(store, location, checkpoint, policy, options, vectorFile);
        }
        catch (OutOfMemoryException)
        {
            throw new IndexFullException($"{location}: this node has not the memory to load the index part now; retry later, or on a node with more memory");
        }
    }

    private static async Task<(HnswIndex Index, PartLog Log)> ReplayAsync(
        IIndexBlobStore store, PartLocation location, IPartCheckpoint checkpoint, SnapshotPolicy policy, HnswOptions options, string? vectorFile)
    {
        var snapshotSeq = checkpoint.SnapshotSeq;
        var index = snapshotSeq > 0 ? await LoadSnapshotAsync(store, location, snapshotSeq, options, vectorFile) : new HnswIndex(options, vectorFile);
        if (snapshotSeq > 0 && options.Text is { } text)
        {
            await Task.Run(() => index.IndexText(text));   // not in the image: built from the metadata, then kept by the replay
        }
        var expected = snapshotSeq + 1;
        var records = new List<(StoredObject Entry, long Seq)>();
        foreach (var entry in await store.ListAsync(location.WalPrefix))
        {
            if (StorageKeys.TryParseSeq(entry.Key, out var s) && s >= expected) { records.Add((entry, s)); }
        }
        await ReserveAsync(store, index, [.. records.Select(r => r.Entry)]);
        long bytes = 0;
        foreach (var (entry, s) in records)
        {
            if (s != expected) { throw Corrupt(location, $"log record {expected} is missing"); }
            var record = await ReadRecordAsync(store, location, entry, s);
            try
            {
                await Task.Run(() => Apply(index, record));
            }
            catch (Exception e) when (e is not (StorageUnavailableException or OutOfMemoryException))
            {
                throw Corrupt(location, $"log record {s} could not be applied: {e.Message}");
            }
            bytes += entry.Length;
            expected++;
        }
        return (index, new PartLog(store, location, checkpoint, policy, expected - 1, bytes));
    }

    /// <summary>
    /// The writer's log of a part held by a copy that followed the log (a replica that becomes the primary), from
    /// <paramref name="seq"/>, the last record <paramref name="index"/> holds: applies the records storage holds after it
    /// (the last primary wrote them before passing them on, or never passed them) and counts the log since the
    /// checkpoint's snapshot, as <see cref="RecoverAsync"/> would have left it. Read <paramref name="checkpoint"/> anew
    /// for this: the writer moves it against the version read.
    /// </summary>
    /// <returns>Null when the index lacks records a snapshot has covered since (they are deleted): the part must be
    /// recovered from storage instead, and <paramref name="index"/>, perhaps partly caught up, dropped.</returns>
    /// <exception cref="IndexCorruptException">A record is damaged or refused.</exception>
    /// <exception cref="StorageUnavailableException">Storage failed.</exception>
    public static async Task<PartLog?> TryContinueAsync(
        IIndexBlobStore store, PartLocation location, IPartCheckpoint checkpoint, SnapshotPolicy policy, HnswIndex index, long seq)
    {
        if (seq < checkpoint.SnapshotSeq) { return null; }
        long held = 0;
        foreach (var entry in await store.ListAsync(location.WalPrefix))
        {
            if (StorageKeys.TryParseSeq(entry.Key, out var s) && s > checkpoint.SnapshotSeq && s <= seq) { held += entry.Length; }
        }
        var log = new PartLog(store, location, checkpoint, policy, seq, held);
        return await log.TryCatchUpAsync(index, seq) ? log : null;
    }

    /// <summary>Grows the index once, before the replay, to the items the log's adds hold (read from the records'
    /// headers), instead of doubling on the way: the replay then needs no more memory than the final index. Upserts of
    /// items present count too, so when that much does not fit, the replay grows as it goes instead.</summary>
    private static async Task ReserveAsync(IIndexBlobStore store, HnswIndex index, IReadOnlyList<StoredObject> records)
    {
        long adds = 0;
        var header = new byte[WalRecord.HeaderLength];
        foreach (var entry in records)
        {
            var stream = await store.OpenReadAsync(entry.Key);
            if (stream is null) { return; }   // the replay names the missing record
            await using (stream)
            {
                if (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false) < header.Length) { return; }
            }
            adds += WalRecord.AddsIn(header);
        }
        try
        {
            index.Reserve((int)Math.Min(adds, index.MaxCount - index.Count));
        }
        catch (Exception e) when (e is OutOfMemoryException or IOException)
        {
            // grown as the records are applied (a vector file that cannot grow fails there, naming the record)
        }
    }

    /// <summary>Applies a record to the engine exactly as when it was first written: adds on one thread, since a
    /// sequential insert is deterministic (levels come from the ids) and so rebuilds exactly the graph that was in memory.
    /// An item written before the vector rule refused what it holds is quarantined, not a reason to refuse the record
    /// (<see cref="HnswIndex.AddLogged(IReadOnlyList{VectorItem})"/>); a new write's items are checked before they are logged.</summary>
    public static int Apply(HnswIndex index, WalRecord record)
    {
        if (record.Kind == WalKind.Add) { return index.AddLogged(record.Items); }
        var deleted = 0;
        foreach (var id in record.Ids) { deleted += index.Delete(id) ? 1 : 0; }
        return deleted;
    }

    /// <summary>As <see cref="Apply(HnswIndex, WalRecord)"/>, noting for an add the link lists it wrote, which a
    /// copy that follows the log applies instead of searching the graph (<see cref="ApplyFollowing"/>); null for a
    /// delete, which writes none.</summary>
    public static int Apply(HnswIndex index, WalRecord record, out LinkChanges? links)
    {
        links = null;
        if (record.Kind != WalKind.Add) { return Apply(index, record); }
        var applied = index.AddLogged(record.Items, out var changes);
        links = changes;
        return applied;
    }

    /// <summary>Applies, in a copy that follows the log, a record its writer applied with
    /// <see cref="Apply(HnswIndex, WalRecord, out LinkChanges?)"/>, with the link lists it noted (null: the record is
    /// applied as the writer applied it).</summary>
    /// <exception cref="InvalidDataException">The links do not fit the copy: it must load anew.</exception>
    public static int ApplyFollowing(HnswIndex index, WalRecord record, LinkChanges? links) =>
        links is not null && record.Kind == WalKind.Add ? index.AddLinked(record.Items, links) : Apply(index, record);

    /// <summary>The record a write of these items would append next.</summary>
    public WalRecord NextAdd(IReadOnlyList<VectorItem> items) => WalRecord.Add(Seq + 1, items);

    /// <summary>The record a delete of these ids would append next.</summary>
    public WalRecord NextDelete(IReadOnlyList<string> ids) => WalRecord.Delete(Seq + 1, ids);

    /// <summary>Makes <paramref name="record"/> (built by <see cref="NextAdd"/> or <see cref="NextDelete"/>) durable.</summary>
    /// <returns>False when a record of that sequence number exists already: another activation wrote it, and this
    /// one must stop writing.</returns>
    /// <exception cref="StorageUnavailableException">Storage failed; nothing was written.</exception>
    public Task<bool> TryAppendAsync(WalRecord record) => TryAppendAsync(record, record.Encode());

    /// <summary>Makes <paramref name="record"/> durable as <paramref name="bytes"/>, its encoding (see
    /// <see cref="TryAppendAsync(WalRecord)"/>).</summary>
    public async Task<bool> TryAppendAsync(WalRecord record, byte[] bytes)
    {
        if (record.Seq != Seq + 1) { throw new InvalidOperationException($"record {record.Seq} does not follow {Seq}"); }
        if (!await _store.TryCreateAsync(Location.Wal(record.Seq), bytes)) { return false; }
        Seq = record.Seq;
        LogBytes += bytes.Length;
        TotalAppended += bytes.Length;
        return true;
    }

    /// <summary>Notes that a copy which follows the log (a replica) applied the next record, <paramref name="seq"/>,
    /// of <paramref name="bytes"/> bytes, written by the part's primary.</summary>
    public void Followed(long seq, long bytes)
    {
        if (seq != Seq + 1) { throw new InvalidOperationException($"record {seq} does not follow {Seq}"); }
        Seq = seq;
        LogBytes += bytes;
    }

    /// <summary>
    /// Brings a copy that follows the log up to date from storage: applies to <paramref name="index"/>, in order,
    /// the records after <see cref="Seq"/> that the primary has written. A copy never writes to storage.
    /// </summary>
    /// <returns>False when the next record is no longer in the log (a snapshot covered it and it was deleted): the
    /// copy must be loaded anew from the snapshot.</returns>
    /// <exception cref="IndexCorruptException">A record is damaged or refused.</exception>
    /// <exception cref="StorageUnavailableException">Storage failed.</exception>
    public async Task<bool> TryCatchUpAsync(HnswIndex index, long upTo)
    {
        var records = new List<(StoredObject Entry, long Seq)>();
        foreach (var entry in await _store.ListAsync(Location.WalPrefix))
        {
            if (StorageKeys.TryParseSeq(entry.Key, out var s) && s > Seq) { records.Add((entry, s)); }
        }
        records.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        if (records.Count == 0) { return upTo <= Seq; }
        if (records[0].Seq != Seq + 1) { return false; }
        foreach (var (entry, s) in records)
        {
            if (s != Seq + 1) { break; }   // written meanwhile with a gap in the listing: the next push fills it
            var record = await ReadRecordAsync(_store, Location, entry, s);
            await Task.Run(() => Apply(index, record));
            Followed(s, entry.Length);
        }
        return true;
    }

    /// <summary>
    /// Removes the last record appended, <paramref name="record"/>, when it could not be applied: the write is then
    /// not committed, and a reload of the part replays the log without it. Its sequence number is free again; a
    /// writer racing for it is fenced as for any other number. The part in memory must be reloaded afterwards.
    /// </summary>
    /// <returns>False when storage failed: the record may remain, and the write may yet take effect.</returns>
    public async Task<bool> TryRetractAsync(WalRecord record)
    {
        if (record.Seq != Seq) { throw new InvalidOperationException($"record {record.Seq} is not the last one ({Seq})"); }
        try
        {
            await _store.DeleteAsync(Location.Wal(record.Seq));
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
        Seq--;
        return true;
    }

    /// <summary>Freezes <paramref name="index"/> as it is at the current sequence number, for
    /// <see cref="TryWriteSnapshotAsync"/>; call it between writes. Costs a copy of the index in memory until written.</summary>
    /// <exception cref="OutOfMemoryException">The copy does not fit; <see cref="TryCompactAsync"/> needs none.</exception>
    public PartImage Freeze(HnswIndex index) => new(Seq, LogBytes, index.Freeze());

    /// <summary>
    /// Writes a frozen image as the snapshot at its sequence number, moves the checkpoint to it and deletes the records
    /// and snapshots it supersedes. Later records may be appended meanwhile (one snapshot at a time): the checkpoint
    /// then covers the image's records only, and recovery replays the later ones after it. A crash before the
    /// checkpoint moves leaves the previous snapshot and every record in place.
    /// </summary>
    /// <returns>False when another writer moved the checkpoint first: this activation is fenced off.</returns>
    /// <exception cref="StorageUnavailableException">Storage failed; the log still holds every write.</exception>
    public Task<bool> TryWriteSnapshotAsync(PartImage image) => WriteSnapshotAsync(image.Seq, image.LogBytes, image.Image.Save);

    /// <summary>Writes a snapshot of <paramref name="index"/> itself at the current sequence number, as
    /// <see cref="TryWriteSnapshotAsync"/> does a frozen image, without copying it: the index must not change meanwhile.</summary>
    /// <returns>False when another writer moved the checkpoint first: this activation is fenced off.</returns>
    /// <exception cref="StorageUnavailableException">Storage failed; the log still holds every write.</exception>
    public Task<bool> TryCompactAsync(HnswIndex index) => WriteSnapshotAsync(Seq, LogBytes, index.Save);

    private async Task<bool> WriteSnapshotAsync(long at, long coveredLogBytes, Action<Stream> save)
    {
        var key = Location.Snapshot(at);
        var size = await _store.TryCreateAsync(key, save);
        size ??= (await _store.ListAsync(key)).FirstOrDefault(o => o.Key == key)?.Length ?? 0;
        if (!await _checkpoint.TryMoveAsync(at, size.Value)) { return false; }
        LogBytes -= coveredLogBytes;
        foreach (var record in await _store.ListAsync(Location.WalPrefix))
        {
            if (StorageKeys.TryParseSeq(record.Key, out var s) && s <= at) { await _store.DeleteAsync(record.Key); }
        }
        foreach (var snapshot in await _store.ListAsync(Location.SnapshotPrefix))
        {
            if (StorageKeys.TryParseSeq(snapshot.Key, out var s) && s < at) { await _store.DeleteAsync(snapshot.Key); }
        }
        return true;
    }

    private static async Task<HnswIndex> LoadSnapshotAsync(IIndexBlobStore store, PartLocation location, long seq, HnswOptions options, string? vectorFile)
    {
        var stream = await store.OpenReadAsync(location.Snapshot(seq)) ?? throw Corrupt(location, $"snapshot {seq} is missing");
        HnswIndex index;
        await using (stream)
        {
            try
            {
                index = await Task.Run(() => HnswIndex.Load(stream, vectorFile));
            }
            catch (HnswFormatException e)
            {
                throw Corrupt(location, $"snapshot {seq}: {e.Message}");
            }
        }
        if (index.Options.Dimension != options.Dimension || !Equals(index.Options.Vectors, options.Vectors))
        {
            throw Corrupt(location, $"snapshot {seq} has dimension {index.Options.Dimension}{(index.Options.Vectors is { } named ? $" and named vectors {string.Join(", ", named.Select(v => v.Name))}" : "")}");
        }
        return index;
    }

    private static async Task<WalRecord> ReadRecordAsync(IIndexBlobStore store, PartLocation location, StoredObject entry, long seq)
    {
        var stream = await store.OpenReadAsync(entry.Key) ?? throw Corrupt(location, $"log record {seq} is missing");
        await using (stream)
        {
            // Read into one buffer of the record's listed length (no growing copies), then decoded.
            var buffer = new byte[entry.Length];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read < buffer.Length || stream.ReadByte() >= 0) { throw Corrupt(location, $"log record {seq}: its length is not the {entry.Length} bytes listed"); }
            try
            {
                return WalRecord.Decode(buffer, seq);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(location, $"log record {seq}: {e.Message}");
            }
        }
    }

    private static IndexCorruptException Corrupt(PartLocation location, string what) => new($"{location} is corrupt: {what}");
}

/// <summary>A part frozen for a snapshot: the index's image at log sequence number <paramref name="Seq"/>.</summary>
/// <param name="Seq">The last record the image holds.</param>
/// <param name="LogBytes">Bytes of log since the previous snapshot that the image covers.</param>
/// <param name="Image">The frozen index.</param>
internal sealed record PartImage(long Seq, long LogBytes, HnswImage Image);
