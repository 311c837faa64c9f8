using Orleans.Concurrency;

namespace Vectord;

/// <summary>
/// One vector index, keyed by its name (1–128 characters of <c>A-Z a-z 0-9 . _ -</c>, starting with a letter or
/// digit). Writes (create, add, delete, drop) are serialised by the activation, in log order; searches, item gets,
/// listings and info run beside them and beside each other, never waiting for a write's storage or snapshot, and
/// see every write acknowledged before they began. A write completes only once it is durable in storage.
/// An index created with <see cref="IndexSpec.Shards"/> &gt; 1 spreads its items over that many parts, each with its
/// own log and snapshots and placed across the silos; this grain validates, routes and merges, and every call
/// behaves as for one part.
/// </summary>
/// <remarks>
/// Errors: <see cref="IndexNotFoundException"/>, <see cref="IndexAlreadyExistsException"/>,
/// <see cref="InvalidIndexArgumentException"/> (nothing was changed), <see cref="StorageUnavailableException"/>
/// (nothing was changed; retry later), <see cref="IndexCorruptException"/>, <see cref="IndexFullException"/> (nothing
/// was changed), <see cref="WriteOutcomeUnknownException"/> (the write may yet take effect).
/// </remarks>
[Alias("vectord.IVectorIndexGrain")]
public interface IVectorIndexGrain : IGrainWithStringKey
{
    /// <summary>Creates the index. Zero for <see cref="IndexSpec.M"/> or <see cref="IndexSpec.EfSearch"/> means the default.</summary>
    /// <returns>The effective parameters and a length of 0.</returns>
    [Alias("Create")]
    Task<IndexInfo> CreateAsync(IndexSpec spec);

    /// <summary>The index's parameters and its number of items.</summary>
    [AlwaysInterleave, Alias("GetInfo")]
    Task<IndexInfo> GetInfoAsync();

    /// <summary>Each copy of each part of the index, shard by shard (the primary first): its item count, the silo
    /// holding it, its role, and how far it has followed the part's log.</summary>
    [AlwaysInterleave, Alias("GetShards")]
    Task<ShardInfo[]> GetShardsAsync();

    /// <summary>Makes more metadata fields searchable by words: each copy of each part indexes its items' text of
    /// them before this returns (a copy that is loading or away, before it next answers), and keeps them with every
    /// later write. A field the index has already, with the same
    /// language, is kept as it is (so a call that failed can be repeated); at most <see cref="IndexLimits.MaxTextFields"/>
    /// in all. An index without text fields gets BM25's default k1 and b.</summary>
    /// <returns>The index's parameters with its text fields now.</returns>
    /// <exception cref="InvalidIndexArgumentException">A field is invalid, or already a text field in another language
    /// (nothing was changed).</exception>
    [Alias("AddTextFields")]
    Task<IndexInfo> AddTextFieldsAsync(IndexTextField[] fields);

    /// <summary>Deletes the index and all of its stored data.</summary>
    [Alias("Drop")]
    Task DropAsync();

    /// <summary>Adds or replaces (upsert) a batch of items. The batch is validated whole and rejected whole;
    /// duplicate ids inside it: the last one wins.</summary>
    [Alias("Add")]
    Task<AddResult> AddAsync(IndexItem[] items);

    /// <summary>Deletes the items with these ids; ids that are not present are ignored and not counted.</summary>
    [Alias("Delete")]
    Task<DeleteResult> DeleteAsync(string[] ids);

    /// <summary>One item by id, or null when the index has no such item.</summary>
    [AlwaysInterleave, Alias("GetItem")]
    Task<IndexItem?> GetItemAsync(string id);

    /// <summary>The k nearest items to <paramref name="vector"/>, by ascending distance.</summary>
    /// <param name="vector">The query; its length must equal the index's dimension and its components be finite.</param>
    /// <param name="k">Results wanted: ≤ 0 means 10, more than 1000 means 1000.</param>
    /// <param name="ef">Beam width for this query; null or ≤ 0 uses the index's ef_search. At least k is used.</param>
    [AlwaysInterleave, Alias("Search")]
    Task<SearchHit[]> SearchAsync(float[] vector, int k = 10, int? ef = null);

    /// <summary>The k nearest items to the query among those that match its filter, by ascending distance; with
    /// <see cref="SearchQuery.Text"/> and an empty vector, the k best keyword matches by BM25 (each hit's
    /// <see cref="SearchHit.Score"/>, best first); with both, a hybrid search: the nearest items and the keyword
    /// matches over the whole index fused by <see cref="SearchQuery.Fusion"/>, best fused score first.</summary>
    /// <param name="query">The search.</param>
    /// <param name="cancellationToken">Stops the work when cancelled (the engine checks it between the filter's
    /// conditions): pass the caller's own, e.g. an HTTP request's abort.</param>
    /// <exception cref="InvalidIndexArgumentException">The vector, the text or the filter is invalid, or the index has no
    /// text fields for a keyword search (the message names it).</exception>
    /// <exception cref="FilterTimeoutException">The filter took longer than the silo's
    /// <c>Filters:MaxEvaluationTime</c>.</exception>
    [AlwaysInterleave, Alias("SearchQuery")]
    Task<SearchHit[]> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs up to <see cref="SearchQuery.MaxBatch"/> searches, one result list per search in order. The
    /// batch is checked whole first: one invalid search fails the call (<c>searches[3]: ...</c>) and none runs; so
    /// is the cost of its filters together (<see cref="FilterRules.MaxCost"/>).</summary>
    /// <param name="queries">The searches.</param>
    /// <param name="cancellationToken">Stops the work when cancelled (see <see cref="SearchAsync(SearchQuery, CancellationToken)"/>).</param>
    [AlwaysInterleave, Alias("SearchBatch")]
    Task<SearchHit[][]> SearchBatchAsync(SearchQuery[] queries, CancellationToken cancellationToken = default);

    /// <summary>A page of the items matching the query's filter, in id order, or in the order of
    /// <see cref="ItemQuery.OrderBy"/>.</summary>
    /// <param name="query">The page wanted.</param>
    /// <param name="cancellationToken">Stops the work when cancelled (see <see cref="SearchAsync(SearchQuery, CancellationToken)"/>).</param>
    [AlwaysInterleave, Alias("QueryItems")]
    Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many items match <paramref name="filter"/> (all of them when null).</summary>
    /// <param name="filter">Which items.</param>
    /// <param name="cancellationToken">Stops the work when cancelled (see <see cref="SearchAsync(SearchQuery, CancellationToken)"/>).</param>
    [AlwaysInterleave, Alias("Count")]
    Task<int> CountAsync(ItemFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every item matching <paramref name="filter"/>, durably, as one write.</summary>
    /// <param name="filter">Which items.</param>
    /// <param name="cancellationToken">Stops the filter's evaluation when cancelled, before anything is deleted;
    /// once the deletion is under way it is not stopped.</param>
    [Alias("DeleteWhere")]
    Task<DeleteResult> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Copies every item of this index into <paramref name="destination"/>. Ids the destination already
    /// has are skipped, so merging again is safe; with <paramref name="clearSource"/> the merged and skipped items
    /// are removed from this index. Merges from one source run one after another: a second call waits for the
    /// first, then finds its work done. A merge may run up to 30 minutes; a caller whose own deadline is shorter
    /// sees a timeout while the merge goes on.</summary>
    [AlwaysInterleave, Alias("MergeInto"), ResponseTimeout("00:30:00")]
    Task<MergeResult> MergeIntoAsync(string destination, bool clearSource);

    /// <summary>Takes a snapshot of the index (see <see cref="ISnapshotStoreGrain"/>): every part is copied at one point
    /// between two writes, which are held back only for the copy, so a write is wholly in it or wholly not; the file
    /// is then written to storage from the copies while writes go on.</summary>
    /// <returns>The stored snapshot.</returns>
    [AlwaysInterleave, Alias("CreateSnapshot"), ResponseTimeout("00:30:00")]
    Task<SnapshotInfo> CreateSnapshotAsync();

    /// <summary>Pages through the items in id order: up to <paramref name="limit"/> items whose id sorts after
    /// <paramref name="after"/> (ordinal), with vectors when <paramref name="includeVectors"/>.</summary>
    [AlwaysInterleave, Alias("ListItems")]
    Task<ItemPage> ListItemsAsync(string? after = null, int limit = 100, bool includeVectors = false);
}

/// <summary>The names of all indexes in the cluster (a single activation, key 0).</summary>
[Alias("vectord.IIndexCatalogGrain")]
public interface IIndexCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every index name, sorted ordinally.</summary>
    [ReadOnly, Alias("ListNames")]
    Task<string[]> ListNamesAsync();

    /// <summary>Records a name; called by an index grain when it is created.</summary>
    [Alias("Register")]
    Task RegisterAsync(string name);

    /// <summary>Forgets a name; called by an index grain when it is dropped.</summary>
    [Alias("Unregister")]
    Task UnregisterAsync(string name);
}
