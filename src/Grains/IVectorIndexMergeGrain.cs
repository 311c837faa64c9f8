using Orleans.Concurrency;

namespace Vectord.Grains;

/// <summary>
/// Internal side of an index used by merges, implemented by <see cref="VectorIndexGrain"/>: a merge pages its
/// source through <see cref="ExportPageAsync"/>, hands each page to the destination's
/// <see cref="AddIfAbsentAsync"/>, and with clear_source removes the taken items with
/// <see cref="RemoveIfUnchangedAsync"/>. Each is an ordinary turn, so the merge itself never touches state.
/// </summary>
[Alias("vectord.IVectorIndexMergeGrain")]
public interface IVectorIndexMergeGrain : IGrainWithStringKey
{
    /// <summary>Up to <paramref name="limit"/> items (with vectors) whose id sorts after <paramref name="after"/>,
    /// each with a fingerprint of its content.</summary>
    [ReadOnly, Alias("ExportPage")]
    Task<MergePage> ExportPageAsync(string? after, int limit);

    /// <summary>Durably adds the items whose ids this index does not have; present ids are skipped and invalid
    /// items counted as failed.</summary>
    [Alias("AddIfAbsent")]
    Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items);

    /// <summary>Durably deletes each listed item whose content still has the given fingerprint.</summary>
    /// <returns>The index's length afterwards.</returns>
    [Alias("RemoveIfUnchanged")]
    Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints);
}

/// <summary>One exported page.</summary>
/// <param name="Items">The items, in id order.</param>
/// <param name="Fingerprints">Content fingerprint of each item.</param>
/// <param name="Next">Cursor for the next page; null at the end.</param>
[GenerateSerializer, Immutable, Alias("vectord.MergePage")]
public sealed record MergePage([property: Id(0)] IndexItem[] Items, [property: Id(1)] ulong[] Fingerprints, [property: Id(2)] string? Next);

/// <summary>What the destination did with one page.</summary>
/// <param name="Merged">Items added.</param>
/// <param name="Skipped">Items whose id was already present.</param>
/// <param name="Failed">Items rejected.</param>
/// <param name="FirstError">Why the first rejected item was rejected.</param>
/// <param name="Taken">Ids added or skipped: the ones a clearing merge may remove from its source.</param>
/// <param name="Length">The destination's length afterwards.</param>
[GenerateSerializer, Immutable, Alias("vectord.MergeAddOutcome")]
public sealed record MergeAddOutcome(
    [property: Id(0)] int Merged,
    [property: Id(1)] int Skipped,
    [property: Id(2)] int Failed,
    [property: Id(3)] string? FirstError,
    [property: Id(4)] string[] Taken,
    [property: Id(5)] int Length);
