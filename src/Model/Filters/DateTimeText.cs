using System.Globalization;

namespace Vectord;

/// <summary>
/// The date-times a range filter compares (<see cref="TimeRangeCondition"/>): RFC 3339 text
/// (<c>2026-01-31T09:30:00Z</c>, <c>2026-01-31T11:30:00.250+02:00</c>; <c>T</c> and <c>Z</c> in either case), and the
/// same without an offset, read as UTC. The index reads the strings in items' metadata by the same rule, written once
/// (<c>Rfc3339</c>, compiled into both).
/// </summary>
public static class DateTimeText
{
    /// <summary>The instant <paramref name="text"/> names, when it is such a date-time.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant) => Hnsw.Filtering.Rfc3339.TryParse(text, out instant);

    /// <summary>The RFC 3339 text of <paramref name="instant"/> in UTC, to the tick (<c>2026-01-31T09:30:00.25Z</c>).</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
