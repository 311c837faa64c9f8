using Vectord.Storage.Items;
using Vectord.Storage.Log;
using Vectord.Hnsw;
using SearchHit = Vectord.SearchHit;

namespace Vectord.Storage.Parts;

/// <summary>
/// One part of an index in memory: its HNSW graph and its log. A write is appended to the log first and applied in
/// memory afterwards, so a failed append leaves memory as it was. Writes must not overlap; reads may run beside
/// each other and beside a write (the engine publishes each item whole; a read may see part of a batch being
/// applied, and sees all of every batch acknowledged before it began). <see cref="IsStale"/> turns true when this copy may no longer match storage (another activation wrote
/// to the log, or an apply failed after its record was written); its owner must then stop using it.
/// </summary>
/// <param name="index">The engine, as loaded or created.</param>
/// <param name="log">The part's log.</param>
/// <param name="capacity">What the part may hold.</param>
/// <param name="revision">The revision of the index's spec whose text fields <paramref name="index"/> holds
/// (<see cref="IndexSpec.Revision"/>).</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore's wait handle is never asked for, so it holds nothing to release.")]
internal sealed class IndexPart(HnswIndex index, PartLog log, PartCapacity capacity, int revision)
{
    /// <summary>Held by whatever changes the engine (a write's or a followed record's apply, a catch-up, a new set
    /// of text fields), which may otherwise overlap: a replica's reads interleave with its turns.</summary>
    private readonly SemaphoreSlim _applying = new(1, 1);
    private string[]? _sortedIds;
    private long _searches;
    private volatile int _revision = revision;

    /// <summary>The engine.</summary>
    public HnswIndex Index => index;

    /// <summary>The log.</summary>
    public PartLog Log => log;

    /// <summary>Live items.</summary>
    public int Count => index.Count;

    /// <summary>The revision of the index's spec whose text fields the part holds (see <see cref="IndexSpec.Revision"/>).</summary>
    public int Revision => _revision;

    /// <summary>True once this copy may differ from storage.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Told each record this part wrote and applied, with its encoding and, for an add, the link lists it
    /// wrote (a primary passes them to its replicas, which then apply the add without searching the graph); null:
    /// nobody is told, and no links are noted.</summary>
    public Action<WalRecord, byte[], LinkChanges?>? Applied { get; set; }

    /// <summary>Durably adds or replaces a checked batch.</summary>
    /// <returns>Items applied.</returns>
    /// <exception cref="StorageUnavailableException">Storage failed (nothing changed) or another activation owns the part.</exception>
    /// <exception cref="IndexFullException">The part cannot take the batch (nothing changed).</exception>
    public Task<int> AddAsync(VectorItem[] batch)
    {
        capacity.Check(index, batch);
        return WriteAsync(log.NextAdd(batch));
    }

    /// <summary>Durably deletes the ids that are present.</summary>
    /// <returns>Items deleted.</returns>
    public async Task<int> DeleteAsync(IEnumerable<string> ids)
    {
        var present = ids.Where(id => id is not null && index.Contains(id)).Distinct(StringComparer.Ordinal).ToArray();
        return present.Length == 0 ? 0 : await WriteAsync(log.NextDelete(present));
    }

    private async Task<int> WriteAsync(WalRecord record)
    {
        var bytes = record.Encode();
        if (!await log.TryAppendAsync(record, bytes))
        {
            IsStale = true;
            throw new StorageUnavailableException(StorageUnavailableException.IndexMoved);
        }
        int applied;
        LinkChanges? links;
        try
        {
            var noting = Applied is not null;
            (applied, links) = await ApplyAsync(record, () =>
            {
                if (!noting) { return (PartLog.Apply(index, record), (LinkChanges?)null); }
                var count = PartLog.Apply(index, record, out var changes);
                return (count, changes);
            });
        }
        catch (Exception failure)
        {
            // Memory no longer matches storage: the owner reloads the part. The record is taken back, so the write
            // is not committed and the reload does not meet it again; if storage refuses that too, the record stays
            // and the write takes effect at the reload: its outcome is unknown to the caller until then.
            IsStale = true;
            if (!await log.TryRetractAsync(record))
            {
                throw new WriteOutcomeUnknownException($"log record {record.Seq} was written but could not be applied or taken back; the index reloads it");
            }
            if (failure is OutOfMemoryException)
            {
                throw new IndexFullException("this node ran out of memory applying the write; nothing was changed");
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        if (record.Kind == WalKind.Add) { _sortedIds = null; }   // a delete leaves ids the pages skip
        Applied?.Invoke(record, bytes, links);
        return applied;
    }

    /// <summary>
    /// Applies, in a copy that follows the part's log (a replica), a record its primary wrote: on one thread of its
    /// own, with the link lists the primary wrote for it when given (<paramref name="links"/>), else exactly as the
    /// primary applied it; either way the copies hold the same graph. A record already applied is skipped.
    /// </summary>
    /// <returns>False when <paramref name="record"/> does not follow the last record applied (one was missed): the
    /// copy must catch up from storage first (<see cref="TryCatchUpAsync"/>).</returns>
    public async Task<bool> FollowAsync(WalRecord record, long bytes, LinkChanges? links = null)
    {
        if (record.Seq <= log.Seq) { return true; }
        if (record.Seq != log.Seq + 1) { return false; }
        try
        {
            await ApplyAsync(record, () => PartLog.ApplyFollowing(index, record, links));
        }
        catch (Exception)
        {
            IsStale = true;   // memory no longer matches the log: the copy loads anew
            throw;
        }
        log.Followed(record.Seq, bytes);
        if (record.Kind == WalKind.Add) { _sortedIds = null; }
        return true;
    }

    /// <summary>Applies, in a copy that follows the part's log, the records after the last one applied that the
    /// primary has written to storage, up to at least <paramref name="upTo"/>.</summary>
    /// <returns>False when a snapshot has covered the next record: the copy must load anew.</returns>
    public async Task<bool> TryCatchUpAsync(long upTo)
    {
        try
        {
            var done = await AloneAsync(() => log.TryCatchUpAsync(index, upTo));
            _sortedIds = null;
            return done;
        }
        catch (Exception) when (!IsStale)
        {
            IsStale = true;
            throw;
        }
    }

    /// <summary>
    /// Makes the part hold the text fields of the spec revision <paramref name="revision"/>, <paramref name="text"/>,
    /// unless it holds those of that revision or a later one: the text index is built anew from the items' metadata
    /// (beside searches, which use the old one until it is done), and kept with every later write. Nothing is logged:
    /// the text index is not stored, and a load builds it from the spec it is given.
    /// </summary>
    public async Task IndexTextAsync(Hnsw.Text.TextOptions? text, int revision)
    {
        if (revision <= _revision) { return; }
        await AloneAsync(async () =>
        {
            if (revision <= _revision) { return 0; }
            await OwnThread(() => { index.IndexText(text); return 0; });
            _revision = revision;
            return 0;
        });
    }

    /// <summary>Most items (or ids) of a record applied on the calling thread: starting a thread costs more than that.</summary>
    public const int InlineApply = 64;

    /// <summary>Applies <paramref name="record"/> alone among the part's changes: a large one on a thread of its own (it
    /// takes the CPU for a while, and on a pool thread it would hold back the searches queued behind it until the pool
    /// grows), a small one (see <see cref="InlineApply"/>) on the calling thread.</summary>
    private Task<T> ApplyAsync<T>(WalRecord record, Func<T> apply) =>
        AloneAsync(() => record.Items.Count + record.Ids.Count <= InlineApply ? Task.FromResult(apply()) : OwnThread(apply));

    /// <summary>Runs <paramref name="change"/> with no other change of the part's engine beside it.</summary>
    private async Task<T> AloneAsync<T>(Func<Task<T>> change)
    {
        await _applying.WaitAsync();
        try
        {
            return await change();
        }
        finally
        {
            _applying.Release();
        }
    }

    private static Task<T> OwnThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// A search by a caller outside the activation that owns the part (the index grain of the same silo, through
    /// the silo's table of local parts), run on the calling thread beside the owner's writes like any other read (the engine
    /// lets reads run beside its one writer). Null once the part is stale: the caller then asks the owner.
    /// </summary>
    /// <param name="queries">The checked queries.</param>
    /// <param name="revision">The spec revision the queries were checked against: a part holding the text fields of an
    /// earlier one answers null too, and its owner brings it up to date.</param>
    /// <param name="cancellationToken">Stops the searches.</param>
    public SearchHit[][]? TrySearchDirect(SearchQuery[] queries, int revision, CancellationToken cancellationToken = default) =>
        IsStale || _revision < revision ? null : Search(queries, cancellationToken);

    /// <summary>The nearest items to each checked query among those matching its filter, as the contract's hits: one
    /// query on the calling thread, a batch on every core (the engine takes any number of searches at once). A
    /// cancellation stops the filters' evaluation and the searches not yet begun.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SearchHit[][] Search(SearchQuery[] queries, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _searches, queries.Length);
        if (queries.Length == 1) { return [Search(queries[0], cancellationToken)]; }
        var answers = new SearchHit[queries.Length][];
        Parallel.For(0, queries.Length, new ParallelOptions { CancellationToken = cancellationToken },
            i => answers[i] = Search(queries[i], cancellationToken));
        return answers;
    }

    private SearchHit[] Search(SearchQuery query, CancellationToken cancellationToken) =>
        Count == 0 ? []
        : TextRules.IsKeyword(query)
            ? Array.ConvertAll(index.SearchText(query.Text!.Query, query.K, query.Text.Fields, FilterTranslation.ToEngine(query.Filter), cancellationToken),
                h => new SearchHit(h.Id, float.NaN, ItemRules.Stored(h.Metadata), h.Score))
            : Array.ConvertAll(query.Using is { } vector
                    ? index.Search(vector, query.Vector, query.K, query.Ef ?? 0, FilterTranslation.ToEngine(query.Filter), cancellationToken)
                    : index.Search(query.Vector, query.K, query.Ef ?? 0, FilterTranslation.ToEngine(query.Filter), cancellationToken),
                h => new SearchHit(h.Id, h.Distance, ItemRules.Stored(h.Metadata)));

    /// <summary>Searches this part has run since it was loaded, by its owner or directly (<see cref="TrySearchDirect"/>).</summary>
    public long Searches => Interlocked.Read(ref _searches);

    /// <summary>How many items match a checked filter.</summary>
    public int CountMatching(ItemFilter filter, CancellationToken cancellationToken) =>
        index.CountMatching(FilterTranslation.ToEngine(filter), cancellationToken);

    /// <summary>The ids of the items matching a checked filter.</summary>
    public string[] MatchingIds(ItemFilter filter, CancellationToken cancellationToken) =>
        index.MatchingIds(FilterTranslation.ToEngine(filter)!, cancellationToken);

    /// <summary>A test of whether an id matched a checked filter when this was called (see
    /// <see cref="HnswIndex.Matcher"/>), for <see cref="Page"/>.</summary>
    public Func<string, bool> Matcher(ItemFilter filter, CancellationToken cancellationToken) =>
        index.Matcher(FilterTranslation.ToEngine(filter)!, cancellationToken);

    /// <summary>Bytes the part holds in memory.</summary>
    public long MemoryBytes => index.MemoryBytes;

    /// <summary>The part as it is now, frozen for a snapshot written while later writes go on; call it between writes.</summary>
    /// <exception cref="OutOfMemoryException">The copy does not fit.</exception>
    public PartImage Freeze() => log.Freeze(index);

    /// <summary>Writes a frozen image as the part's snapshot (see <see cref="PartLog.TryWriteSnapshotAsync"/>).</summary>
    /// <exception cref="StorageUnavailableException">Storage failed; every write is still in the log.</exception>
    public async Task WriteSnapshotAsync(PartImage image)
    {
        if (!await log.TryWriteSnapshotAsync(image)) { IsStale = true; }
    }

    /// <summary>Writes a snapshot now, from the index itself: nothing may write to the part meanwhile.</summary>
    /// <exception cref="StorageUnavailableException">Storage failed; every write is still in the log.</exception>
    public async Task CompactAsync()
    {
        if (!await log.TryCompactAsync(index)) { IsStale = true; }
    }

    /// <summary>Up to <paramref name="limit"/> items whose id sorts after <paramref name="after"/> (ordinal), and the
    /// cursor of the next page (null at the end).</summary>
    /// <param name="after">The cursor: only ids that sort after it.</param>
    /// <param name="limit">Most items.</param>
    /// <param name="includeVectors">Whether the items carry their vectors.</param>
    /// <param name="matches">Only ids it accepts (from <see cref="Matcher"/>); null: every id.</param>
    public (List<VectorItem> Items, string? Next) Page(string? after, int limit, bool includeVectors, Func<string, bool>? matches = null)
    {
        // The sorted ids survive deletes (a page skips ids no longer present) and are rebuilt only once most of
        // them are gone: paging through a part while deleting what was paged (a clear_source merge) stays linear.
        var ids = _sortedIds;
        if (ids is null || ids.Length > (2 * index.Count) + 1024) { _sortedIds = ids = SortedIds(); }
        var start = 0;
        if (after is not null)
        {
            var at = Array.BinarySearch(ids, after, StringComparer.Ordinal);
            start = at >= 0 ? at + 1 : ~at;
        }
        var items = new List<VectorItem>(Math.Min(limit, ids.Length - start));
        var i = start;
        for (; i < ids.Length && items.Count < limit; i++)
        {
            if ((matches is null || matches(ids[i])) && index.TryGet(ids[i], out var item)) { items.Add(includeVectors ? item : item with { Vector = [] }); }
        }
        return (items, i < ids.Length && items.Count > 0 ? items[^1].Id : null);
    }

    private string[] SortedIds()
    {
        var ids = index.GetIds().ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }
}
