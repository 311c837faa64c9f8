using System.Globalization;

namespace Vectord.Hnsw.Filtering;

/// <summary>
/// Which strings in metadata are date-times, comparable in an <c>InstantRange</c>: RFC 3339 date-times
/// (<c>2026-01-31T09:30:00Z</c>, <c>2026-01-31T11:30:00.250+02:00</c>), and the same without an offset, read as UTC
/// (as .NET writes a <see cref="DateTime"/> of unspecified kind). A date alone is not one. The one home of the rule:
/// the contract (Vectord.Model, whose <c>DateTimeText</c> reads range bounds by it) compiles this same file.
/// </summary>
internal static class Rfc3339
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK";

    /// <summary>The instant <paramref name="text"/> names, when it is such a date-time.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        // Cheap test first: most strings in metadata are not dates.
        if (text is null || text.Length < 19 || text.Length > 40 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't')
        {
            return false;
        }
        if (text[10] == 't' || text[^1] == 'z')
        {
            // RFC 3339 allows the separator and the zone in lower case.
            text = string.Create(text.Length, text, static (chars, source) =>
            {
                source.CopyTo(chars);
                chars[10] = 'T';
                if (chars[^1] == 'z') { chars[^1] = 'Z'; }
            });
        }
        return DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }
}
