namespace Vectord;

/// <summary>One search.</summary>
/// <param name="Vector">The query; its length must equal the index's dimension and its components be finite.</param>
/// <param name="K">Results wanted: ≤ 0 means 10, more than 1000 means 1000.</param>
/// <param name="Ef">Beam width for this query; null or ≤ 0 uses the index's ef_search. At least k is used.</param>
/// <param name="Filter">Only items matching it are returned: the k nearest among those that match, exact when few
/// items match. Null: every item.</param>
/// <param name="Consistency">Which copies of a replicated index may answer (see <see cref="ReadConsistency"/>); in a
/// batch, the strictest of its searches holds for all of them.</param>
[GenerateSerializer, Immutable, Alias("vectord.SearchQuery")]
public sealed record SearchQuery(
    [property: Id(0)] float[] Vector,
    [property: Id(1)] int K = 10,
    [property: Id(2)] int? Ef = null,
    [property: Id(3)] ItemFilter? Filter = null,
    [property: Id(4)] ReadConsistency Consistency = ReadConsistency.Any)
{
    /// <summary>Most searches in one batch of searches.</summary>
    public const int MaxBatch = 1024;
}

/// <summary>A page of the items that match a filter, in id order (ordinal).</summary>
/// <param name="Filter">Which items; null: every item.</param>
/// <param name="Limit">Page size: ≤ 0 means 100, more than 1000 means 1000.</param>
/// <param name="After">Only ids that sort after this one: the <see cref="ItemPage.Next"/> of the previous page.</param>
/// <param name="IncludeVectors">Whether the items carry their vectors.</param>
[GenerateSerializer, Immutable, Alias("vectord.ItemQuery")]
public sealed record ItemQuery(
    [property: Id(0)] ItemFilter? Filter = null,
    [property: Id(1)] int Limit = 100,
    [property: Id(2)] string? After = null,
    [property: Id(3)] bool IncludeVectors = false);
