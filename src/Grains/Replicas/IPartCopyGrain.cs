using Orleans.Concurrency;
using Vectord.Grains.Shards;

namespace Vectord.Grains.Replicas;

/// <summary>The reads every copy of a part answers, its primary (<see cref="IVectorShardGrain"/>) and its replicas
/// (<see cref="IVectorReplicaGrain"/>) alike; each takes the index's identity (<see cref="ShardContext"/>), so a copy
/// activated anywhere needs nothing else to load.</summary>
[Alias("vectord.IPartCopyGrain")]
public interface IPartCopyGrain : IGrainWithStringKey
{
    /// <summary>One item with its vector, or null.</summary>
    [AlwaysInterleave, Alias("GetItem")]
    Task<IndexItem?> GetItemAsync(ShardContext context, string id);

    /// <summary>The copy's nearest items to each checked query, one list per query.</summary>
    [AlwaysInterleave, Alias("SearchMany")]
    Task<SearchHit[][]> SearchAsync(ShardContext context, SearchQuery[] queries, CancellationToken cancellationToken = default);

    /// <summary>A page of the copy's items matching a checked query, in id order.</summary>
    [AlwaysInterleave, Alias("QueryItems")]
    Task<ItemPage> QueryItemsAsync(ShardContext context, ItemQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many of the copy's items match a checked filter.</summary>
    [AlwaysInterleave, Alias("Count")]
    Task<int> CountAsync(ShardContext context, ItemFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The copy's length, silo, role and log position.</summary>
    [AlwaysInterleave, Alias("GetInfo")]
    Task<ShardInfo> GetInfoAsync(ShardContext context);
}
