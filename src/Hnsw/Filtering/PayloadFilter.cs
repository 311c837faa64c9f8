namespace Vectord.Hnsw.Filtering;

/// <summary>
/// A condition on items, evaluated by <see cref="PayloadIndex.Evaluate"/> into the set of live slots it matches.
/// Paths are dotted (<c>"a.b"</c>): a dot steps into a nested object, and a step that meets an array goes into each
/// of its elements. When a path reaches several values (an array), a value condition matches when any of them does.
/// </summary>
public abstract record PayloadFilter;

/// <summary>Items matching every one of <paramref name="Filters"/>; all live items when there are none.</summary>
/// <param name="Filters">The conditions that must all hold.</param>
public sealed record AllOf(PayloadFilter[] Filters) : PayloadFilter;

/// <summary>Items matching at least one of <paramref name="Filters"/>; none when there are none.</summary>
/// <param name="Filters">The conditions of which one must hold.</param>
public sealed record AnyOf(PayloadFilter[] Filters) : PayloadFilter;

/// <summary>Live items not matching <paramref name="Filter"/>.</summary>
/// <param name="Filter">The condition that must not hold.</param>
public sealed record NotOf(PayloadFilter Filter) : PayloadFilter;

/// <summary>Items with a string, number or boolean at <paramref name="Path"/> equal to one of
/// <paramref name="Values"/>.</summary>
/// <param name="Path">The dotted path.</param>
/// <param name="Values">The accepted values.</param>
public sealed record ValueIn(string Path, PayloadValue[] Values) : PayloadFilter;

/// <summary>Items with a string, number or boolean at <paramref name="Path"/> equal to none of
/// <paramref name="Values"/> (any one such value is enough). Nulls, objects and empty arrays are not values, so an
/// item holding only those at the path does not match, nor does one without the path.</summary>
/// <param name="Path">The dotted path.</param>
/// <param name="Values">The excluded values.</param>
public sealed record ValueNotIn(string Path, PayloadValue[] Values) : PayloadFilter;

/// <summary>Items with a number at <paramref name="Path"/> within every given bound (at least one bound is given).
/// Strings and booleans never match.</summary>
/// <param name="Path">The dotted path.</param>
/// <param name="Gt">Exclusive lower bound.</param>
/// <param name="Gte">Inclusive lower bound.</param>
/// <param name="Lt">Exclusive upper bound.</param>
/// <param name="Lte">Inclusive upper bound.</param>
public sealed record NumberRange(string Path, double? Gt, double? Gte, double? Lt, double? Lte) : PayloadFilter;

/// <summary>Items with a date-time string (see <see cref="Rfc3339"/>) at <paramref name="Path"/> within every given
/// bound (at least one bound is given), compared as instants: <c>12:00+02:00</c> is <c>10:00Z</c>. Other strings,
/// numbers and booleans never match.</summary>
/// <param name="Path">The dotted path.</param>
/// <param name="Gt">Exclusive lower bound.</param>
/// <param name="Gte">Inclusive lower bound.</param>
/// <param name="Lt">Exclusive upper bound.</param>
/// <param name="Lte">Inclusive upper bound.</param>
public sealed record InstantRange(string Path, DateTimeOffset? Gt, DateTimeOffset? Gte, DateTimeOffset? Lt, DateTimeOffset? Lte) : PayloadFilter;

/// <summary>Items whose value at <paramref name="Path"/> is JSON <c>null</c> itself (an array holding a null is
/// not null).</summary>
/// <param name="Path">The dotted path.</param>
public sealed record IsNull(string Path) : PayloadFilter;

/// <summary>Items where <paramref name="Path"/> is absent or holds only <c>null</c> or <c>[]</c>; <c>{}</c> and
/// <c>[null]</c> are not empty. Items without metadata, or whose metadata is not an object, are empty everywhere.</summary>
/// <param name="Path">The dotted path.</param>
public sealed record IsEmpty(string Path) : PayloadFilter;

/// <summary>Items whose id is one of <paramref name="Ids"/>; unknown ids are ignored.</summary>
/// <param name="Ids">The accepted ids.</param>
public sealed record IdIn(string[] Ids) : PayloadFilter;


/// <summary>Items whose text at <paramref name="Path"/>, a text field of the index (see <see cref="Text.TextIndex"/>),
/// holds every term of <paramref name="Text"/>, as the field's analyzer reads both; a text without terms, or a path
/// that is not a text field, matches nothing.</summary>
/// <param name="Path">The text field's path.</param>
/// <param name="Text">The words that must all be present.</param>
public sealed record TextMatch(string Path, string Text) : PayloadFilter;
