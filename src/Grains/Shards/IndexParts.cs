using Vectord.Grains.Items;
using Vectord.Grains.Merge;
using Vectord.Grains.Parts;
using Vectord.Hnsw;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Shards;

/// <summary>
/// The parts of one index as the index grain sees them: items routed to their part by <see cref="ShardRouting"/>,
/// writes to several parts at once, reads fanned out and merged by <see cref="FanIn"/>, and the parts' lengths,
/// learnt once and kept current from every write (the index grain is the only writer of its parts).
/// </summary>
/// <param name="parts">Part i of the index.</param>
/// <param name="findLocal">The part a shard grain of this silo holds loaded, for a direct search; null to call it.</param>
/// <param name="revision">The revision of the spec the queries are checked against (<see cref="IndexSpec.Revision"/>):
/// a part found by <paramref name="findLocal"/> searches directly only when it holds that revision's text fields.</param>
internal sealed class IndexParts(IPartClient[] parts, Func<int, IndexPart?> findLocal, int revision)
{
    private int[]? _lengths;

    /// <summary>Parts of the index.</summary>
    public int Count => parts.Length;

    /// <summary>Items in the index.</summary>
    public int Length => _lengths?.Sum() ?? 0;

    /// <summary>Learns each part's length (loading the parts) unless known.</summary>
    public Task EnsureLengthsAsync() => _lengths is null ? LearnLengthsAsync() : Task.CompletedTask;

    private async Task LearnLengthsAsync() =>
        _lengths ??= [.. (await Task.WhenAll(parts.Select(p => p.GetInfoAsync()))).Select(i => i.Length)];

    /// <summary>Durably adds checked items, each part's share in parallel.</summary>
    public async Task<AddResult> AddAsync(VectorItem[] batch)
    {
        var split = ShardRouting.Split(batch, i => i.Id, parts.Length);
        var results = await WriteAsync(split, (part, share) => part.AddAsync([.. share]));
        return new AddResult(results.Sum(r => r.Changed), Length);
    }

    /// <summary>Durably deletes the ids that are present.</summary>
    public async Task<DeleteResult> DeleteAsync(IEnumerable<string> ids)
    {
        var split = ShardRouting.Split(ids.Where(id => id is not null), id => id, parts.Length);
        var results = await WriteAsync(split, (part, share) => part.DeleteAsync([.. share]));
        return new DeleteResult(results.Sum(r => r.Changed), Length);
    }

    /// <summary>One item, from its part.</summary>
    public Task<IndexItem?> GetItemAsync(string id) => parts[ShardRouting.ShardOf(id, parts.Length)].GetItemAsync(id);

    /// <summary>The nearest items to each checked query over every part, the parts searched in parallel (one call
    /// each for all the queries); a part held in this silo is searched here directly.</summary>
    public async Task<SearchHit[][]> SearchAsync(SearchQuery[] queries, CancellationToken cancellationToken)
    {
        if (parts.Length == 1) { return await parts[0].SearchAsync(queries, cancellationToken); }
        var perPart = await Task.WhenAll(Enumerable.Range(0, parts.Length).Select(s => SearchPartAsync(s, queries, cancellationToken)));
        var merged = new SearchHit[queries.Length][];
        for (var q = 0; q < queries.Length; q++) { merged[q] = FanIn.Nearest([.. perPart.Select(p => p[q])], queries[q].K); }
        return merged;
    }

    private async Task<SearchHit[][]> SearchPartAsync(int shard, SearchQuery[] queries, CancellationToken cancellationToken)
    {
        if (findLocal(shard) is { } local)
        {
            try
            {
                if (await Task.Run(() => local.TrySearchDirect(queries, revision, cancellationToken)) is { } hits) { return hits; }
            }
            catch (Hnsw.VectorFileDamagedException)
            {
                // The owner meets the damage too, gives the part up and answers 503.
            }
        }
        return await parts[shard].SearchAsync(queries, cancellationToken);
    }

    /// <summary>A page of the items matching a checked query, in id order across the parts, or in the query's order
    /// (each part sends its first offset + limit, merged by <see cref="OrderRules.Merge"/>).</summary>
    public async Task<ItemPage> QueryAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        if (query.OrderBy is null)
        {
            return FanIn.Page(await Task.WhenAll(parts.Select(p => p.QueryItemsAsync(query, cancellationToken))), query.Limit);
        }
        var window = query with { Limit = query.Offset + query.Limit, Offset = 0 };
        return OrderRules.Merge(await Task.WhenAll(parts.Select(p => p.QueryItemsAsync(window, cancellationToken))), query);
    }

    /// <summary>How many items match a checked filter, over every part.</summary>
    public async Task<int> CountAsync(ItemFilter filter, CancellationToken cancellationToken) =>
        (await Task.WhenAll(parts.Select(p => p.CountAsync(filter, cancellationToken)))).Sum();

    /// <summary>Durably deletes every item matching a checked filter, each part its own.</summary>
    public async Task<DeleteResult> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken)
    {
        var results = await WriteAsync([.. Enumerable.Range(0, parts.Length)], s => parts[s].DeleteWhereAsync(filter, cancellationToken));
        return new DeleteResult(results.Sum(r => r.Changed), Length);
    }

    /// <summary>A merge page in id order across the parts.</summary>
    public async Task<MergePage> ExportAsync(string? after, int limit) =>
        FanIn.Export(await Task.WhenAll(parts.Select(p => p.ExportPageAsync(after, limit))), limit);

    /// <summary>Durably adds the items no part has, each part checking its share.</summary>
    public async Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items)
    {
        var split = ShardRouting.Split(items, i => i?.Id ?? "", parts.Length);
        var written = Written(split);
        var outcomes = await Task.WhenAll(written.Select(s => parts[s].AddIfAbsentAsync([.. split[s]])));
        Record(written, [.. outcomes.Select(o => o.Length)]);
        return new MergeAddOutcome(outcomes.Sum(o => o.Merged), outcomes.Sum(o => o.Skipped), outcomes.Sum(o => o.Failed),
            outcomes.Select(o => o.FirstError).FirstOrDefault(e => e is not null), [.. outcomes.SelectMany(o => o.Taken)], Length);
    }

    /// <summary>Durably deletes each listed item whose content still has the given fingerprint.</summary>
    public async Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fingerprints);
        var split = ShardRouting.Split(ids.Zip(fingerprints), p => p.First, parts.Length);
        await WriteAsync(split, (part, share) => part.RemoveIfUnchangedAsync([.. share.Select(p => p.First)], [.. share.Select(p => p.Second)]));
        return Length;
    }

    /// <summary>Copies every part as it is now, at once; part i of a sharded index saves its copy under
    /// <paramref name="staged"/>(i). The caller holds the index's writes meanwhile.</summary>
    public Task<Snapshots.FrozenPart[]> FreezeAsync(Func<int, string> staged) =>
        Task.WhenAll(Enumerable.Range(0, parts.Length).Select(s => parts[s].FreezeAsync(staged(s))));

    /// <summary>Each part's length and silo.</summary>
    public Task<ShardInfo[]> ShardsAsync() => Task.WhenAll(parts.Select(p => p.GetInfoAsync()));

    /// <summary>Each copy of each part: its length, silo, role and log position, shard by shard.</summary>
    public async Task<ShardInfo[]> CopiesAsync() => [.. (await Task.WhenAll(parts.Select(p => p.GetCopiesAsync()))).SelectMany(c => c)];

    /// <summary>Writes each part's share at once. When one fails, the others' new lengths are still recorded and the
    /// first failure is raised, naming the shards that applied their share (<see cref="VectordException.AppliedShards"/>):
    /// a retry of the same request converges, since an add is an upsert and a delete of an absent id does nothing.</summary>
    private Task<PartWrite[]> WriteAsync<T>(List<T>[] split, Func<IPartClient, List<T>, Task<PartWrite>> write) =>
        WriteAsync(Written(split), s => write(parts[s], split[s]));

    /// <summary>Writes to each of the parts <paramref name="written"/> at once, as above.</summary>
    private async Task<PartWrite[]> WriteAsync(int[] written, Func<int, Task<PartWrite>> write)
    {
        var tasks = written.Select(write).ToArray();
        try
        {
            return await Task.WhenAll(tasks);
        }
        catch (Exception e) when (parts.Length > 1)
        {
            int[] applied = [.. Enumerable.Range(0, tasks.Length).Where(i => tasks[i].IsCompletedSuccessfully).Select(i => written[i]).Order()];
            // A shard that failed in another way than ours (a call that timed out, a silo lost) may yet apply its share.
            VectordException described = e as VectordException
                ?? new WriteOutcomeUnknownException($"a shard of the index failed the write ({e.GetType().Name}: {e.Message})");
            described.AppliedShards = applied;
            throw described;
        }
        finally
        {
            for (var i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].IsCompletedSuccessfully) { Record([written[i]], [tasks[i].Result.Length]); }
            }
        }
    }

    private static int[] Written<T>(List<T>[] split) => [.. Enumerable.Range(0, split.Length).Where(s => split[s].Count > 0)];

    private void Record(int[] shards, int[] lengths)
    {
        if (_lengths is null) { return; }
        for (var i = 0; i < shards.Length; i++) { _lengths[shards[i]] = lengths[i]; }
    }
}
