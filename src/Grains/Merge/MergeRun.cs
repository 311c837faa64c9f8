namespace Vectord.Grains.Merge;

/// <summary>
/// A merge of one index into another, through the two index grains' own calls only: the source is paged in id order
/// (<see cref="IVectorIndexMergeGrain.ExportPageAsync"/>), each page goes to the destination's
/// <see cref="IVectorIndexMergeGrain.AddIfAbsentAsync"/>, and with clear_source the items the destination took are
/// removed from the source unless they changed meanwhile. Any shard counts on either side: each grain routes to its parts.
/// </summary>
internal static class MergeRun
{
    /// <summary>Runs the merge.</summary>
    public static async Task<MergeResult> RunAsync(IGrainFactory grains, string source, string destination, bool clearSource)
    {
        if (string.IsNullOrEmpty(destination) || string.Equals(destination, source, StringComparison.Ordinal))
        {
            throw new InvalidIndexArgumentException("dest must be set and differ from source");
        }
        var sourceInfo = await InfoAsync(grains, source, "source not found");
        if (!IndexNames.IsValid(destination)) { throw new IndexNotFoundException("dest not found"); }
        var destInfo = await InfoAsync(grains, destination, "dest not found");
        if (destInfo.Dimension != sourceInfo.Dimension)
        {
            throw new InvalidIndexArgumentException($"dimension mismatch (source={sourceInfo.Dimension}, dest={destInfo.Dimension})");
        }
        if (!(sourceInfo.Vectors ?? []).Select(v => (v.Name, v.Dimension)).SequenceEqual((destInfo.Vectors ?? []).Select(v => (v.Name, v.Dimension))))
        {
            throw new InvalidIndexArgumentException($"named vectors mismatch (source={Names(sourceInfo)}, dest={Names(destInfo)})");
        }

        var from = grains.GetGrain<IVectorIndexMergeGrain>(source);
        var to = grains.GetGrain<IVectorIndexMergeGrain>(destination);
        var pageSize = Math.Clamp((1 << 20) / Math.Max(sourceInfo.Dimension + (sourceInfo.Vectors?.Sum(v => v.Dimension) ?? 0), 1), 1, 512);
        int merged = 0, skipped = 0, failed = 0;
        string? firstError = null;
        string? after = null;
        while (true)
        {
            var page = await from.ExportPageAsync(after, pageSize);
            if (page.Items.Length == 0) { break; }
            var outcome = await to.AddIfAbsentAsync(page.Items);
            merged += outcome.Merged;
            skipped += outcome.Skipped;
            failed += outcome.Failed;
            firstError ??= outcome.FirstError;
            if (clearSource && outcome.Taken.Length > 0)
            {
                var fingerprints = new Dictionary<string, ulong>(page.Items.Length, StringComparer.Ordinal);
                for (var i = 0; i < page.Items.Length; i++) { fingerprints[page.Items[i].Id] = page.Fingerprints[i]; }
                await from.RemoveIfUnchangedAsync(outcome.Taken, [.. outcome.Taken.Select(id => fingerprints[id])]);
            }
            if (page.Next is null) { break; }
            after = page.Next;
        }
        var lengthDest = (await grains.GetGrain<IVectorIndexGrain>(destination).GetInfoAsync()).Length;
        var lengthSource = (await grains.GetGrain<IVectorIndexGrain>(source).GetInfoAsync()).Length;
        return new MergeResult(merged, skipped, failed, lengthDest, lengthSource, firstError);
    }

    private static string Names(IndexInfo info) =>
        info.Vectors is { Length: > 0 } named ? string.Join(",", named.Select(v => $"{v.Name}:{v.Dimension}")) : "none";

    private static async Task<IndexInfo> InfoAsync(IGrainFactory grains, string name, string notFound)
    {
        try
        {
            return await grains.GetGrain<IVectorIndexGrain>(name).GetInfoAsync();
        }
        catch (IndexNotFoundException)
        {
            throw new IndexNotFoundException(notFound);
        }
    }
}
