using Vectord.Grains.Items;
using Vectord.Grains.Parts;
using Vectord.Grains.Shards;
using Vectord.Hnsw;

namespace Vectord.Grains.Replicas;

/// <summary>
/// A part of a replicated index as the index grain sees it: writes, merges and snapshots go to its primary (the
/// shard grain, which passes them on to the replicas); searches go to any ready copy, spread evenly, or to the
/// primary alone when a query asks for <see cref="ReadConsistency.Primary"/>; reads of items, pages and counts ask the
/// primary first. Every read moves on to another copy when one fails or is slow (<see cref="CopyReads"/>).
/// </summary>
internal sealed class ReplicatedShard(IGrainFactory grains, ShardContext context, int copies, CopyReadOptions options) : IPartClient
{
    private readonly CopyReads _reads = new(copies, options);
    private readonly CopyReads _primaryFirst = new(copies, options, adaptive: false);
    private readonly CopyReads _primaryOnly = new(1, options, adaptive: false);
    private readonly RemoteShard _primary = new(grains.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard)), context);
    private readonly IPartCopyGrain[] _copies = [.. Enumerable.Range(0, copies).Select(r => r == 0
        ? (IPartCopyGrain)grains.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard))
        : grains.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, r)))];

    public Task<PartWrite> AddAsync(VectorItem[] items) => _primary.AddAsync(items);

    public Task<PartWrite> DeleteAsync(string[] ids) => _primary.DeleteAsync(ids);

    public Task<PartWrite> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken) => _primary.DeleteWhereAsync(filter, cancellationToken);

    public Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items) => _primary.AddIfAbsentAsync(items);

    public Task<PartWrite> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints) => _primary.RemoveIfUnchangedAsync(ids, fingerprints);

    public Task<MergePage> ExportPageAsync(string? after, int limit) => _primary.ExportPageAsync(after, limit);

    public Task<Snapshots.FrozenPart> FreezeAsync(string staged) => _primary.FreezeAsync(staged);

    public Task<SearchHit[][]> SearchAsync(SearchQuery[] queries, CancellationToken cancellationToken) =>
        queries.Any(q => q.Consistency == ReadConsistency.Primary)
            ? _primaryOnly.RunAsync((_, token) => _primary.SearchAsync(queries, token), 0, cancellationToken)
            : _reads.RunAsync((c, token) => _copies[c].SearchAsync(context, queries, token), null, cancellationToken);

    public Task<IndexItem?> GetItemAsync(string id) =>
        _primaryFirst.RunAsync((c, _) => _copies[c].GetItemAsync(context, id), 0, CancellationToken.None);

    public Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken) =>
        _primaryFirst.RunAsync((c, token) => _copies[c].QueryItemsAsync(context, query, token), 0, cancellationToken);

    public Task<int> CountAsync(ItemFilter filter, CancellationToken cancellationToken) =>
        _primaryFirst.RunAsync((c, token) => _copies[c].CountAsync(context, filter, token), 0, cancellationToken);

    /// <summary>The primary's length and place, or a ready replica's while the primary does not answer.</summary>
    public Task<ShardInfo> GetInfoAsync() => _primaryFirst.RunAsync((c, _) => InfoAsync(c, ready: true), 0, CancellationToken.None);

    public async Task<ShardInfo[]> GetCopiesAsync()
    {
        var infos = await Task.WhenAll(Enumerable.Range(0, copies).Select(async c =>
        {
            try
            {
                return await InfoAsync(c, ready: false).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (CopyReads.IsCopyFailure(e))
            {
                return new ShardInfo(context.Shard, 0, null, 0, c, c == 0 ? CopyRole.Primary : CopyRole.Replica, Ready: false);
            }
        }));
        var primarySeq = infos[0].Ready ? infos[0].LogPosition : infos.Max(i => i.LogPosition);
        return [.. infos.Select(i => i.Role == CopyRole.Replica && i.Ready ? i with { Lag = Math.Max(0, primarySeq - i.LogPosition) } : i)];
    }

    private async Task<ShardInfo> InfoAsync(int copy, bool ready)
    {
        var info = await _copies[copy].GetInfoAsync(context);
        if (ready && !info.Ready) { throw new CopyNotReadyException($"copy {copy} of shard {context.Shard} is loading"); }
        return info;
    }
}
