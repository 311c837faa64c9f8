namespace Vectord;

/// <summary>
/// A condition on an item: its metadata or its id. A <see cref="ItemFilter"/> is a condition too, so filters nest.
/// Build conditions with <see cref="Where"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectord.FilterCondition")]
public abstract record FilterCondition;

/// <summary>
/// Selects items by their metadata (a JSON object) and id, in the shape of Qdrant's filters. An item matches when every
/// <see cref="Must"/> condition matches, at least one <see cref="Should"/> condition matches (when there are any), and
/// no <see cref="MustNot"/> condition matches. An empty filter matches every item.
/// </summary>
/// <remarks>
/// A key is a path into the metadata object: <c>"field"</c> or <c>"field.sub.field"</c>; a step into an array of
/// objects goes into each of them. A missing key, or metadata that is absent or not an object, matches no match or
/// range condition. When the value at a path is an array, a match or range condition holds when any element
/// satisfies it. Numbers compare by value (<c>1</c> equals <c>1.0</c>); strings compare ordinally and never equal a
/// number or a boolean.
/// <example>
/// In stock, under 50, and not in the "archived" category:
/// <code>
/// var filter = ItemFilter.Must(Where.Match("in_stock", true), Where.Range("price", lt: 50))
///     with { MustNot = [Where.Match("category", "archived")] };
/// var hits = await grains.GetGrain&lt;IVectorIndexGrain&gt;("products").SearchAsync(new SearchQuery(vector, K: 5, Filter: filter));
/// </code>
/// </example>
/// </remarks>
/// <param name="Must">Conditions that must all hold; null or empty: no such constraint.</param>
/// <param name="Should">Conditions of which at least one must hold; null or empty: no such constraint.</param>
/// <param name="MustNot">Conditions none of which may hold; null or empty: no such constraint.</param>
[GenerateSerializer, Immutable, Alias("vectord.ItemFilter")]
public sealed record ItemFilter(
    [property: Id(0)] FilterCondition[]? Must = null,
    [property: Id(1)] FilterCondition[]? Should = null,
    [property: Id(2)] FilterCondition[]? MustNot = null) : FilterCondition
{
    /// <summary>A filter whose conditions must all hold.</summary>
    public static ItemFilter All(params FilterCondition[] conditions) => new(Must: conditions);

    /// <summary>A filter of which at least one condition must hold.</summary>
    public static ItemFilter Any(params FilterCondition[] conditions) => new(Should: conditions);

    /// <summary>A filter none of whose conditions may hold.</summary>
    public static ItemFilter None(params FilterCondition[] conditions) => new(MustNot: conditions);
}

/// <summary>The value at <paramref name="Key"/> equals <paramref name="Value"/>.</summary>
[GenerateSerializer, Immutable, Alias("vectord.MatchCondition")]
public sealed record MatchCondition([property: Id(0)] string Key, [property: Id(1)] FilterValue Value) : FilterCondition;

/// <summary>The value at <paramref name="Key"/> equals one of <paramref name="Any"/> (at most
/// <see cref="FilterRules.MaxValues"/>; none matches nothing).</summary>
[GenerateSerializer, Immutable, Alias("vectord.MatchAnyCondition")]
public sealed record MatchAnyCondition([property: Id(0)] string Key, [property: Id(1)] FilterValue[] Any) : FilterCondition;

/// <summary>A string, number or boolean is present at <paramref name="Key"/> and equals none of
/// <paramref name="Except"/> (at most <see cref="FilterRules.MaxValues"/>).</summary>
[GenerateSerializer, Immutable, Alias("vectord.MatchExceptCondition")]
public sealed record MatchExceptCondition([property: Id(0)] string Key, [property: Id(1)] FilterValue[] Except) : FilterCondition;

/// <summary>A number at <paramref name="Key"/> lies within the bounds given (at least one).</summary>
[GenerateSerializer, Immutable, Alias("vectord.RangeCondition")]
public sealed record RangeCondition(
    [property: Id(0)] string Key,
    [property: Id(1)] double? Gt = null,
    [property: Id(2)] double? Gte = null,
    [property: Id(3)] double? Lt = null,
    [property: Id(4)] double? Lte = null) : FilterCondition;

/// <summary>A date-time string (<see cref="DateTimeText"/>) at <paramref name="Key"/> lies within the bounds given (at
/// least one), compared as instants whatever the offset each is written with.</summary>
[GenerateSerializer, Immutable, Alias("vectord.TimeRangeCondition")]
public sealed record TimeRangeCondition(
    [property: Id(0)] string Key,
    [property: Id(1)] DateTimeOffset? Gt = null,
    [property: Id(2)] DateTimeOffset? Gte = null,
    [property: Id(3)] DateTimeOffset? Lt = null,
    [property: Id(4)] DateTimeOffset? Lte = null) : FilterCondition;

/// <summary>The text at <paramref name="Key"/>, a text field of the index (<see cref="IndexSpec.TextFields"/>), holds
/// every word of <paramref name="Text"/> (as the field's analyzer reads both: case, and in English stems and stop
/// words, do not matter). A text without words matches nothing.</summary>
[GenerateSerializer, Immutable, Alias("vectord.TextMatchCondition")]
public sealed record TextMatchCondition([property: Id(0)] string Key, [property: Id(1)] string Text) : FilterCondition;

/// <summary>The key is present with the value null.</summary>
[GenerateSerializer, Immutable, Alias("vectord.IsNullCondition")]
public sealed record IsNullCondition([property: Id(0)] string Key) : FilterCondition;

/// <summary>The key is absent, null, or an empty array.</summary>
[GenerateSerializer, Immutable, Alias("vectord.IsEmptyCondition")]
public sealed record IsEmptyCondition([property: Id(0)] string Key) : FilterCondition;

/// <summary>The item's id is one of <paramref name="Ids"/> (at most <see cref="ItemLimits.MaxBatchItems"/>).</summary>
[GenerateSerializer, Immutable, Alias("vectord.HasIdCondition")]
public sealed record HasIdCondition([property: Id(0)] string[] Ids) : FilterCondition;

/// <summary>Factories for filter conditions, e.g. <c>ItemFilter.All(Where.Match("tenant", "acme"), Where.Range("year", gte: 2020))</c>.</summary>
public static class Where
{
    /// <summary>The value at <paramref name="key"/> equals <paramref name="value"/>.</summary>
    public static MatchCondition Match(string key, FilterValue value) => new(key, value);

    /// <summary>The value at <paramref name="key"/> equals one of <paramref name="values"/>.</summary>
    public static MatchAnyCondition MatchAny(string key, params FilterValue[] values) => new(key, values);

    /// <summary>A value is present at <paramref name="key"/> and equals none of <paramref name="values"/>.</summary>
    public static MatchExceptCondition MatchExcept(string key, params FilterValue[] values) => new(key, values);

    /// <summary>A number at <paramref name="key"/> lies within the given bounds.</summary>
    public static RangeCondition Range(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null) =>
        new(key, gt, gte, lt, lte);

    /// <summary>A date-time string at <paramref name="key"/> lies within the given bounds, compared as instants.</summary>
    public static TimeRangeCondition TimeRange(string key, DateTimeOffset? gt = null, DateTimeOffset? gte = null, DateTimeOffset? lt = null,
        DateTimeOffset? lte = null) =>
        new(key, gt, gte, lt, lte);

    /// <summary>The text field at <paramref name="key"/> holds every word of <paramref name="text"/>.</summary>
    public static TextMatchCondition MatchText(string key, string text) => new(key, text);

    /// <summary>The key is present with the value null.</summary>
    public static IsNullCondition IsNull(string key) => new(key);

    /// <summary>The key is absent, null, or an empty array.</summary>
    public static IsEmptyCondition IsEmpty(string key) => new(key);

    /// <summary>The item's id is one of <paramref name="ids"/>.</summary>
    public static HasIdCondition HasId(params string[] ids) => new(ids);
}
