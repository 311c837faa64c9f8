using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Hnsw;
using Vectord.Storage.Items;

namespace Vectord.Grains.Shards;

/// <summary>A part of a sharded index, reached through its shard grain.</summary>
internal sealed class RemoteShard(IVectorShardGrain grain, ShardContext context) : IPartClient
{
    public Task<PartWrite> AddAsync(VectorItem[] items) =>
        grain.AddAsync(context, Array.ConvertAll(items, i => ItemRules.ToWire(i)));

    public Task<PartWrite> DeleteAsync(string[] ids) => grain.DeleteAsync(context, ids);

    public Task<IndexItem?> GetItemAsync(string id) => grain.GetItemAsync(context, id);

    public Task<SearchHit[][]> SearchAsync(SearchQuery[] queries, CancellationToken cancellationToken) =>
        grain.SearchAsync(context, queries, cancellationToken);

    public Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken) =>
        grain.QueryItemsAsync(context, query, cancellationToken);

    public Task<int> CountAsync(ItemFilter filter, CancellationToken cancellationToken) => grain.CountAsync(context, filter, cancellationToken);

    // Not passed on: a call cancelled here could not tell whether the shard had begun deleting, and the index's
    // answer says nothing changed when it is cancelled.
    public Task<PartWrite> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken) => grain.DeleteWhereAsync(context, filter);

    public Task<MergePage> ExportPageAsync(string? after, int limit) => grain.ExportPageAsync(context, after, limit);

    public Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items) => grain.AddIfAbsentAsync(context, items);

    public Task<PartWrite> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints) =>
        grain.RemoveIfUnchangedAsync(context, ids, fingerprints);

    public Task<ShardInfo> GetInfoAsync() => grain.GetInfoAsync(context);

    public async Task<ShardInfo[]> GetCopiesAsync() => [await GetInfoAsync()];

    public async Task<Snapshots.FrozenPart> FreezeAsync(string staged)
    {
        var length = await grain.FreezeAsync(context, staged);
        return new Snapshots.FrozenPart(length, null, staged, grain.SavedAsync(staged));
    }
}
