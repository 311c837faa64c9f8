using Vectord.Grains.Diagnostics;
using Vectord.Grains.Items;
using Vectord.Hnsw;
using Vectord.Storage.Items;
using Vectord.Storage.Parts;

namespace Vectord.Grains.Parts;

/// <summary>
/// The operations of one part held by this activation, in the contract's terms: reads run on the thread pool (so
/// concurrent searches use every core), writes go through the <see cref="PartHost"/>. Both the index grain of an
/// unsharded index and each shard grain serve their part with it.
/// </summary>
/// <param name="host">Holds the part.</param>
/// <param name="recover">Loads the part from storage.</param>
/// <param name="options">The engine options of the spec the calls are made for.</param>
/// <param name="revision">That spec's revision: a part holding the text fields of an earlier one is brought up to it
/// (<see cref="IndexPart.IndexTextAsync"/>) before it answers.</param>
/// <param name="shard">The part's number.</param>
/// <param name="silo">The silo holding it.</param>
/// <param name="metrics">The silo's metrics.</param>
internal sealed class PartCalls(PartHost host, Func<Task<IndexPart>> recover, HnswOptions options, int revision, int shard, string silo,
    IndexMetrics metrics) : IPartClient
{
    /// <summary>The spec revision the calls are made for.</summary>
    public int Revision => revision;

    /// <inheritdoc/>
    public async Task<PartWrite> AddAsync(VectorItem[] items)
    {
        var part = await PartAsync();
        var added = await host.WriteAsync(part, p => p.AddAsync(items));
        metrics.ItemsAdded(added);
        return new PartWrite(added, part.Count);
    }

    /// <inheritdoc/>
    public async Task<PartWrite> DeleteAsync(string[] ids)
    {
        var part = await PartAsync();
        var deleted = await host.WriteAsync(part, p => p.DeleteAsync(ids));
        return new PartWrite(deleted, part.Count);
    }

    /// <inheritdoc/>
    public async Task<IndexItem?> GetItemAsync(string id)
    {
        var part = await PartAsync();
        return await host.ReadVectorsAsync(part, () =>
            Task.FromResult(id is not null && part.Index.TryGet(id, out var item) ? ItemRules.ToContract(item, includeVector: true, part.Index.Options.Vectors) : null));
    }

    /// <inheritdoc/>
    public async Task<SearchHit[][]> SearchAsync(SearchQuery[] queries, CancellationToken cancellationToken)
    {
        var part = await PartAsync();
        // The searches and the conversion of their hits run on the thread pool, so concurrent searches use every
        // core; the activation is back on its scheduler only to return the answer.
        return await host.ReadVectorsAsync(part, () => Task.Run(() => part.Search(queries, cancellationToken)));
    }

    /// <inheritdoc/>
    public async Task<ItemPage> QueryItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        var part = await PartAsync();
        if (query.OrderBy is { } order)
        {
            // Ordered: the part's first offset + limit matches, ordered on the thread pool; the index grain merges.
            var ids = await Task.Run(() => part.Index.OrderedIds(FilterTranslation.ToEngine(query.Filter), OrderRules.ToEngine(order),
                query.Offset + query.Limit, cancellationToken));
            var found = await host.ReadVectorsAsync(part, () => Task.FromResult(ids
                .Select(id => part.Index.TryGet(id, out var item) ? ItemRules.ToContract(item, query.IncludeVectors, part.Index.Options.Vectors) : null)
                .OfType<IndexItem>().ToArray()));
            return new ItemPage(found, null);
        }
        // The filter is evaluated on the thread pool, so the activation's writes do not wait for it; the page is
        // read on the activation's scheduler, like the writes that reset the part's sorted ids.
        var matches = query.Filter is { } filter ? await Task.Run(() => part.Matcher(filter, cancellationToken)) : null;
        var (items, next) = await host.ReadVectorsAsync(part, () => Task.FromResult(part.Page(query.After, query.Limit, query.IncludeVectors, matches)));
        return new ItemPage([.. items.Select(i => ItemRules.ToContract(i, query.IncludeVectors, part.Index.Options.Vectors))], next);
    }

    /// <inheritdoc/>
    public async Task<int> CountAsync(ItemFilter filter, CancellationToken cancellationToken)
    {
        var part = await PartAsync();
        return await Task.Run(() => part.CountMatching(filter, cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<PartWrite> DeleteWhereAsync(ItemFilter filter, CancellationToken cancellationToken)
    {
        var part = await PartAsync();
        // The filter is evaluated on the thread pool (reads interleave with this write's turn); then the deletion,
        // which the token no longer stops.
        var deleted = await host.WriteAsync(part, async p => await p.DeleteAsync(await Task.Run(() => p.MatchingIds(filter, cancellationToken))));
        return new PartWrite(deleted, part.Count);
    }

    /// <inheritdoc/>
    public async Task<MergePage> ExportPageAsync(string? after, int limit)
    {
        var part = await PartAsync();
        var (items, next) = part.Page(after, limit, includeVectors: true);
        return new MergePage([.. items.Select(i => ItemRules.ToContract(i, includeVector: true, part.Index.Options.Vectors))], [.. items.Select(ItemRules.Fingerprint)], next);
    }

    /// <inheritdoc/>
    public async Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items)
    {
        var part = await PartAsync();
        var accepted = new List<VectorItem>();
        var taken = new List<string>();
        int skipped = 0, failed = 0;
        string? firstError = null;
        foreach (var item in items ?? [])
        {
            if (item is not null && !string.IsNullOrEmpty(item.Id) && part.Index.Contains(item.Id))
            {
                skipped++;
                taken.Add(item.Id);
                continue;
            }
            VectorItem? converted = null;
            var problem = item is null ? "missing item" : ItemRules.Check(item, options, out converted);
            if (problem is not null)
            {
                failed++;
                firstError ??= item is null || string.IsNullOrEmpty(item.Id) ? problem : $"{item.Id}: {problem}";
                continue;
            }
            accepted.Add(converted!);
            taken.Add(item!.Id);
        }
        var merged = accepted.Count == 0 ? 0 : await host.WriteAsync(part, p => p.AddAsync([.. accepted]));
        metrics.ItemsAdded(merged);
        return new MergeAddOutcome(merged, skipped, failed, firstError, [.. taken], part.Count);
    }

    /// <inheritdoc/>
    public async Task<PartWrite> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fingerprints);
        var part = await PartAsync();
        var remove = await host.ReadVectorsAsync(part, () =>
            Task.FromResult(ids.Where((id, i) => i < fingerprints.Length && part.Index.TryGet(id, out var item) && ItemRules.Fingerprint(item) == fingerprints[i]).ToList()));
        var removed = await host.WriteAsync(part, p => p.DeleteAsync(remove));
        return new PartWrite(removed, part.Count);
    }

    /// <inheritdoc/>
    public async Task<Snapshots.FrozenPart> FreezeAsync(string staged)
    {
        var image = await FreezeImageAsync();
        return new Snapshots.FrozenPart(image.Count, image, null, null);
    }

    /// <summary>A copy of the part as it is now (see <see cref="IndexPart.Freeze"/>), taken on the thread pool; the
    /// caller makes sure no write runs meanwhile.</summary>
    public async Task<HnswImage> FreezeImageAsync()
    {
        var part = await PartAsync();
        return await host.ReadVectorsAsync(part, () => Task.Run(() => part.Freeze().Image));
    }

    /// <inheritdoc/>
    public async Task<ShardInfo> GetInfoAsync()
    {
        var part = await PartAsync();
        return new ShardInfo(shard, part.Count, silo, part.Index.QuarantinedCount, LogPosition: part.Log.Seq,
            Searches: part.Searches, MemoryBytes: part.MemoryBytes);
    }

    /// <inheritdoc/>
    public async Task<ShardInfo[]> GetCopiesAsync() => [await GetInfoAsync()];

    /// <summary>The part, loaded unless it is in memory, holding the text fields of the spec revision the calls are for.</summary>
    private async Task<IndexPart> PartAsync()
    {
        var part = await host.GetAsync(recover);
        if (part.Revision < revision) { await part.IndexTextAsync(options.Text, revision); }
        return part;
    }

    /// <summary>Loads the part unless it is in memory (or loading); a failure is left for the next call to meet.</summary>
    public async Task LoadAsync()
    {
        try
        {
            await PartAsync();
        }
        catch (VectordException)
        {
            // storage down, the part corrupt or too large: the next read is answered with it
        }
    }
}
