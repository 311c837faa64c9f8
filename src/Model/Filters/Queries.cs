namespace Vectord;

/// <summary>How a hybrid search fuses its two ranked lists, the nearest items and the best keyword matches.</summary>
public enum FusionKind
{
    /// <summary>Reciprocal rank fusion: an item scores Σ 1 / (60 + its rank) over the lists it is in. Needs no
    /// tuning; the scores' scales do not matter.</summary>
    Rrf = 0,
    /// <summary>Each list's scores scaled to 0–1 (min–max over its candidates, similarity for the vector list), then
    /// alpha · vector + (1 − alpha) · keyword; an item missing from a list scores 0 there.</summary>
    Weighted = 1,
}

/// <summary>The keyword half of a search: words scored by BM25 over the index's text fields.</summary>
/// <param name="Query">The words (at most <see cref="IndexLimits.MaxText"/> characters).</param>
/// <param name="Fields">The text fields searched (scores add up); null or empty: all of them.</param>
[GenerateSerializer, Immutable, Alias("vectord.TextQuery")]
public sealed record TextQuery(
    [property: Id(0)] string Query,
    [property: Id(1)] string[]? Fields = null);

/// <summary>One search: by vector, by words (<paramref name="Text"/> with an empty <paramref name="Vector"/>), or
/// both (hybrid: the two ranked lists fused by <paramref name="Fusion"/>).</summary>
/// <param name="Vector">The query; its length must equal the index's dimension and its components be finite. Empty
/// for a keyword search.</param>
/// <param name="K">Results wanted: ≤ 0 means 10, more than 1000 means 1000.</param>
/// <param name="Ef">Beam width for this query; null or ≤ 0 uses the index's ef_search. At least k is used.</param>
/// <param name="Filter">Only items matching it are returned: the k nearest among those that match, exact when few
/// items match. Null: every item.</param>
/// <param name="Consistency">Which copies of a replicated index may answer (see <see cref="ReadConsistency"/>); in a
/// batch, the strictest of its searches holds for all of them.</param>
/// <param name="Text">The keyword query, for a keyword or hybrid search; the index must have text fields.</param>
/// <param name="Fusion">How a hybrid search fuses its lists.</param>
/// <param name="Alpha">The vector list's weight in <see cref="FusionKind.Weighted"/> fusion, 0–1; null: 0.5.</param>
/// <param name="Using">The named vector searched, in an index with named vectors (required there); null otherwise.</param>
[GenerateSerializer, Immutable, Alias("vectord.SearchQuery")]
public sealed record SearchQuery(
    [property: Id(0)] float[] Vector,
    [property: Id(1)] int K = 10,
    [property: Id(2)] int? Ef = null,
    [property: Id(3)] ItemFilter? Filter = null,
    [property: Id(4)] ReadConsistency Consistency = ReadConsistency.Any,
    [property: Id(5)] TextQuery? Text = null,
    [property: Id(6)] FusionKind Fusion = FusionKind.Rrf,
    [property: Id(7)] float? Alpha = null,
    [property: Id(8)] string? Using = null)
{
    /// <summary>Most searches in one batch of searches.</summary>
    public const int MaxBatch = 1024;
}

/// <summary>A page of the items that match a filter: in id order (ordinal), paged with <paramref name="After"/>; or,
/// with <paramref name="OrderBy"/>, in the order of its keys, paged with <paramref name="Offset"/>.</summary>
/// <param name="Filter">Which items; null: every item.</param>
/// <param name="Limit">Page size: ≤ 0 means 100, more than 1000 means 1000.</param>
/// <param name="After">Only ids that sort after this one: the <see cref="ItemPage.Next"/> of the previous page. Not
/// with <paramref name="OrderBy"/>.</param>
/// <param name="IncludeVectors">Whether the items carry their vectors.</param>
/// <param name="OrderBy">Metadata keys the items are ordered by, 1 to 8, in turn (numbers by value, date-time strings
/// as instants, other strings ordinally, booleans false first; items without a value at a key after the others in
/// either direction; then by id). Null: id order.</param>
/// <param name="Offset">Items of that order skipped before the page, with <paramref name="OrderBy"/> only; offset +
/// limit at most <see cref="IndexLimits.MaxOrderedWindow"/>.</param>
[GenerateSerializer, Immutable, Alias("vectord.ItemQuery")]
public sealed record ItemQuery(
    [property: Id(0)] ItemFilter? Filter = null,
    [property: Id(1)] int Limit = 100,
    [property: Id(2)] string? After = null,
    [property: Id(3)] bool IncludeVectors = false,
    [property: Id(4)] OrderKey[]? OrderBy = null,
    [property: Id(5)] int Offset = 0);

/// <summary>A key items are ordered by.</summary>
/// <param name="Key">The dotted path into the metadata.</param>
/// <param name="Descending">Largest first.</param>
[GenerateSerializer, Immutable, Alias("vectord.OrderKey")]
public sealed record OrderKey(
    [property: Id(0)] string Key,
    [property: Id(1)] bool Descending = false);
