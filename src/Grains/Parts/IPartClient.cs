using Vectord.Hnsw;

namespace Vectord.Grains.Parts;

/// <summary>What the index grain asks of each of its parts: its own part when the index has one, or a shard grain.</summary>
internal interface IPartClient
{
    /// <summary>Durably adds or replaces items already checked by the index grain.</summary>
    Task<PartWrite> AddAsync(VectorItem[] items);

    /// <summary>Durably deletes the ids that are present.</summary>
    Task<PartWrite> DeleteAsync(string[] ids);

    /// <summary>One item with its vector, or null.</summary>
    Task<IndexItem?> GetItemAsync(string id);

    /// <summary>The part's nearest items to each checked query (k and ef already effective), one list per query;
    /// the filters' evaluation stops when <paramref name="cancellationToken"/> is cancelled.</summary>
    Task<SearchHit[][]> SearchAsync(SearchQuery[] queries, CancellationToken cancellationToken);

    /// <summary>A page of the part's items matching a checked query, in id order.</summary>
    Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>How many of the part's items match a checked filter.</summary>
    Task<int> CountAsync(ItemFilter filter, CancellationToken cancellationToken);

    /// <summary>Durably deletes the part's items matching a checked filter; a cancellation stops the filter's
    /// evaluation, before anything is deleted, and is not heard once the deletion is under way.</summary>
    Task<PartWrite> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken);

    /// <summary>A page of the part's items with vectors and content fingerprints, for a merge.</summary>
    Task<MergePage> ExportPageAsync(string? after, int limit);

    /// <summary>Durably adds the items whose ids the part does not have; checks each.</summary>
    Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items);

    /// <summary>Durably deletes each listed item whose content still has the given fingerprint.</summary>
    Task<PartWrite> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints);

    /// <summary>The part's length and where it lives.</summary>
    Task<ShardInfo> GetInfoAsync();

    /// <summary>Each copy of the part: where it lives, its length and how far it has followed the part's log.</summary>
    Task<ShardInfo[]> GetCopiesAsync();

    /// <summary>Copies the part as it is now, for a snapshot (the index grain holds its writes meanwhile); a part held
    /// elsewhere saves its copy under <paramref name="staged"/> in the background.</summary>
    Task<Snapshots.FrozenPart> FreezeAsync(string staged);
}

/// <summary>Outcome of a write to one part.</summary>
/// <param name="Changed">Items added, replaced or deleted.</param>
/// <param name="Length">The part's length afterwards.</param>
[GenerateSerializer, Immutable, Alias("vectord.PartWrite")]
public sealed record PartWrite([property: Id(0)] int Changed, [property: Id(1)] int Length);
