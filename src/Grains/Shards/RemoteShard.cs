using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Hnsw;

namespace Vectord.Grains.Shards;

/// <summary>A part of a sharded index, reached through its shard grain.</summary>
internal sealed class RemoteShard(IVectorShardGrain grain, ShardContext context) : IPartClient
{
    public Task<PartWrite> AddAsync(VectorItem[] items) =>
        grain.AddAsync(context, Array.ConvertAll(items, i => ItemRules.ToContract(i, includeVector: true)));

    public Task<PartWrite> DeleteAsync(string[] ids) => grain.DeleteAsync(context, ids);

    public Task<IndexItem?> GetItemAsync(string id) => grain.GetItemAsync(context, id);

    public Task<SearchHit[][]> SearchAsync(SearchQuery[] queries) => grain.SearchAsync(context, queries);

    public Task<ItemPage> QueryItemsAsync(ItemQuery query) => grain.QueryItemsAsync(context, query);

    public Task<int> CountAsync(ItemFilter filter) => grain.CountAsync(context, filter);

    public Task<PartWrite> DeleteWhereAsync(ItemFilter filter) => grain.DeleteWhereAsync(context, filter);

    public Task<MergePage> ExportPageAsync(string? after, int limit) => grain.ExportPageAsync(context, after, limit);

    public Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items) => grain.AddIfAbsentAsync(context, items);

    public Task<PartWrite> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints) =>
        grain.RemoveIfUnchangedAsync(context, ids, fingerprints);

    public Task<ShardInfo> GetInfoAsync() => grain.GetInfoAsync(context);

    public async Task<Snapshots.FrozenPart> FreezeAsync(string staged)
    {
        var length = await grain.FreezeAsync(context, staged);
        return new Snapshots.FrozenPart(length, null, staged, grain.SavedAsync(staged));
    }
}
