using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vectord.Storage.Log;

namespace Vectord.Storage.Parts;

/// <summary>
/// The lifecycle of the part a grain activation holds: loaded from storage on first use (once, however many calls
/// wait for it), remembered as corrupt when recovery says so, and given up for good (the activation deactivates)
/// once the part turns stale. Writes go through <see cref="WriteAsync{T}"/>, which also starts a snapshot when the
/// log is due one; the snapshot is written in the background from a frozen copy of the part, its continuations on the
/// activation's scheduler like every turn, so the part's state needs no lock.
/// </summary>
/// <param name="logger">Where loads and failed snapshots are logged.</param>
/// <param name="metrics">The silo's metrics: log bytes and snapshot durations are counted there.</param>
/// <param name="deactivate">Deactivates the owning activation.</param>
/// <param name="holding">Told the part the host holds after every change: a load, a create, a write, a snapshot
/// (null: it holds none any more).</param>
/// <param name="cache">Where the vector file of a part the host lets go is deleted.</param>
/// <remarks>A part whose vector file turns out damaged (a search, a get, a write, a freeze or a snapshot finds vectors
/// that changed underneath, or a file cut short) is given up like a stale one: no snapshot is written from it, and the next activation loads it again
/// from storage, where every acknowledged write is.</remarks>
internal sealed partial class PartHost(ILogger logger, IPartMetrics metrics, Action deactivate, Action<IndexPart?> holding, VectorCache cache)
{
    private IndexPart? _part;
    private Task<IndexPart>? _loading;
    private string? _corrupt;
    private bool _stale;
    private Task _snapshot = Task.CompletedTask;

    /// <summary>The part when it is in memory.</summary>
    public IndexPart? Loaded => _part;

    /// <summary>Refuses any call once the part turned stale.</summary>
    /// <exception cref="StorageUnavailableException">Another activation owns the part now; retry.</exception>
    public void ThrowIfStale()
    {
        if (_stale) { throw new StorageUnavailableException(StorageUnavailableException.IndexMoved); }
    }

    /// <summary>The part, recovered with <paramref name="recover"/> when it is not in memory yet.</summary>
    public async Task<IndexPart> GetAsync(Func<Task<IndexPart>> recover)
    {
        ThrowIfStale();
        if (_corrupt is not null) { throw new IndexCorruptException(_corrupt); }
        if (_part is not null) { return _part; }
        _loading ??= LoadAsync(recover);
        try
        {
            return await _loading;
        }
        catch (Exception)
        {
            _loading = null;
            throw;
        }
    }

    private async Task<IndexPart> LoadAsync(Func<Task<IndexPart>> recover)
    {
        try
        {
            var part = await recover();
            _part = part;
            holding(part);
            LogLoaded(part.Log.Location, part.Count, part.Log.Seq);
            if (part.Index.QuarantinedCount > 0)
            {
                LogQuarantined(part.Log.Location, part.Index.QuarantinedCount, string.Join(", ", part.Index.QuarantinedIds().Take(20)));
            }
            return part;
        }
        catch (IndexCorruptException e)
        {
            _corrupt = e.Message;
            throw;
        }
    }

    /// <summary>Holds a new, empty part (after a create).</summary>
    public void Start(IndexPart part)
    {
        Reset();
        _part = part;
        holding(part);
    }

    /// <summary>Forgets the part (after a drop, or before a new incarnation).</summary>
    public void Reset()
    {
        cache.Delete(_part?.Index.VectorFile);
        _part = null;
        _loading = null;
        _corrupt = null;
        holding(null);
    }

    /// <summary>Lets go of the loaded part without deleting its vector file, for another holder on this silo (a
    /// replica hands its part to the primary that takes it over); null when none is loaded.</summary>
    public IndexPart? Detach()
    {
        var part = _part;
        _part = null;
        _loading = null;
        holding(null);
        return part;
    }

    /// <summary>Gives the part up: every later call is refused and the activation deactivates.</summary>
    public void MarkStale()
    {
        _stale = true;
        cache.Delete(_part?.Index.VectorFile);
        _part = null;
        holding(null);
        deactivate();
    }

    /// <summary>Runs a write; when the log is then due a snapshot, freezes the part and writes the snapshot in the
    /// background, so neither this write nor the next ones wait for it (one snapshot at a time). A part left stale by
    /// either is given up.</summary>
    public async Task<T> WriteAsync<T>(IndexPart part, Func<IndexPart, Task<T>> write)
    {
        T result;
        var appended = part.Log.TotalAppended;
        try
        {
            result = await write(part);
        }
        catch (Hnsw.VectorFileDamagedException e)
        {
            throw GiveUpDamaged(part, e);   // found before the write was logged, or taken back after
        }
        finally
        {
            metrics.WalAppended(part.Log.TotalAppended - appended);
            if (part.IsStale) { MarkStale(); }
        }
        if (!part.IsStale && _snapshot.IsCompleted && part.Log.CompactionDue) { await StartSnapshotAsync(part); }
        if (!part.IsStale) { holding(part); }
        return result;
    }

    /// <summary>Waits for the snapshot in progress, if any (its failure is logged, not thrown): before the part is
    /// dropped or given up, so that no snapshot lands in storage after it.</summary>
    public Task SettleAsync() => _snapshot;

    /// <summary>With log records after the last snapshot, writes a snapshot (a graceful deactivation does this so the
    /// next activation loads it instead of replaying). A failure only leaves the replay to the next activation.</summary>
    public async Task SnapshotOnDeactivateAsync()
    {
        await SettleAsync();
        if (_part is { } part && !_stale && part.Log.LogBytes > 0) { await SnapshotAsync(part, image: null); }
    }

    private async Task StartSnapshotAsync(IndexPart part)
    {
        PartImage image;
        try
        {
            // Off the activation's scheduler: the copy holds this write up, not the reads interleaved with it.
            image = await Task.Run(part.Freeze);
        }
        catch (Hnsw.VectorFileDamagedException e)
        {
            GiveUpDamaged(part, e);
            return;
        }
        catch (Exception e) when (e is OutOfMemoryException or IOException)
        {
            // No room for a copy (in memory, or on the disk of an on_disk index's vector files): write the snapshot
            // from the part itself, holding the next writes up meanwhile. The write that was due it stands.
            await SnapshotAsync(part, image: null);
            return;
        }
        _snapshot = SnapshotAsync(part, image);
    }

    /// <summary>Writes a snapshot of a frozen image, or of the part itself when <paramref name="image"/> is null.</summary>
    private async Task SnapshotAsync(IndexPart part, PartImage? image)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await (image is null ? part.CompactAsync() : part.WriteSnapshotAsync(image));
            metrics.SnapshotCompleted(Stopwatch.GetElapsedTime(started));
        }
        catch (StorageUnavailableException e)
        {
            LogCompactionFailed(part.Log.Location, e.Message);   // the writes are durable in the log
        }
        catch (Hnsw.VectorFileDamagedException e)
        {
            GiveUpDamaged(part, e);
            return;
        }
        if (part.IsStale)
        {
            if (ReferenceEquals(_part, part)) { MarkStale(); }
        }
        else if (ReferenceEquals(_part, part)) { holding(part); }
    }

    /// <summary>Runs a read that reads stored vectors (a search, a get, a page with vectors, a freeze); when it finds the part's
    /// vector file damaged, gives the part up (see the remarks) and tells the caller to retry.</summary>
    /// <exception cref="StorageUnavailableException">The vector file is damaged; the part loads again from storage.</exception>
    public async Task<T> ReadVectorsAsync<T>(IndexPart part, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Hnsw.VectorFileDamagedException e)
        {
            throw GiveUpDamaged(part, e);
        }
    }

    /// <summary>Gives up a part whose vector file is damaged (see the remarks); returns what to tell the caller.</summary>
    private StorageUnavailableException GiveUpDamaged(IndexPart part, Hnsw.VectorFileDamagedException damage)
    {
        LogVectorFileDamaged(part.Log.Location, damage.Message);
        if (ReferenceEquals(_part, part)) { MarkStale(); }
        return new StorageUnavailableException("the index's vector file on this node was damaged; it loads again from storage, retry");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Part}: {Reason}. No snapshot is written from it; the part is let go and loads again from storage, which holds every acknowledged write")]
    private partial void LogVectorFileDamaged(PartLocation part, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Part} loaded: {Count} items, log up to {Seq}")]
    private partial void LogLoaded(PartLocation part, int count, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Part}: {Count} items quarantined, their stored vectors refused by the vector rule (not searchable; delete them by id and add them again): {Ids}")]
    private partial void LogQuarantined(PartLocation part, int count, string ids);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Part}: snapshot failed, the log keeps every write: {Reason}")]
    private partial void LogCompactionFailed(PartLocation part, string reason);
}
