using Vectord.Hnsw;

namespace Vectord.Storage.Items;

/// <summary>What the keyword half of a search and the <c>match.text</c> conditions of a filter must be: words within
/// <see cref="IndexLimits.MaxText"/>, on the index's text fields, and a fusion that can be carried out.</summary>
internal static class TextRules
{
    /// <summary>Whether <paramref name="query"/> searches by words alone (a text and no vector).</summary>
    public static bool IsKeyword(SearchQuery query) => query.Text is not null && (query.Vector is null || query.Vector.Length == 0);

    /// <summary>Whether <paramref name="query"/> is hybrid (a vector and a text).</summary>
    public static bool IsHybrid(SearchQuery query) => query.Text is not null && query.Vector is { Length: > 0 };

    /// <summary>Checks the keyword half, the fusion and the weight of a search.</summary>
    /// <param name="query">The search.</param>
    /// <param name="options">The index's options.</param>
    /// <param name="at">How the search is named in errors (<c>searches[3]</c>); null for a single search.</param>
    /// <exception cref="InvalidIndexArgumentException">What is wrong, e.g. <c>text.fields[0]: 'x' is not a text field of this index</c>.</exception>
    public static void CheckText(SearchQuery query, HnswOptions options, string? at)
    {
        var prefix = at is null ? "" : $"{at}.";
        if (!Enum.IsDefined(query.Fusion)) { throw Invalid($"{prefix}fusion: unknown fusion (expected rrf or weighted)"); }
        if (query.Alpha is { } alpha && (query.Fusion != FusionKind.Weighted || !float.IsFinite(alpha) || alpha is < 0 or > 1))
        {
            throw Invalid(query.Fusion != FusionKind.Weighted ? $"{prefix}alpha: applies to weighted fusion only"
                : $"{prefix}alpha: must be between 0 and 1");
        }
        if (query.Text is not { } text) { return; }
        if (options.Text is not { } fields) { throw Invalid($"{prefix}text: this index has no text fields (add them with text_fields)"); }
        if (string.IsNullOrWhiteSpace(text.Query)) { throw Invalid($"{prefix}text.query: must be non-empty"); }
        if (text.Query.Length > IndexLimits.MaxText) { throw Invalid($"{prefix}text.query: longer than {IndexLimits.MaxText} characters"); }
        if (!ItemLimits.IsWellFormed(text.Query)) { throw Invalid($"{prefix}text.query: is not valid Unicode text"); }
        for (int i = 0; i < (text.Fields?.Length ?? 0); i++)
        {
            var field = text.Fields![i];
            if (!fields.Fields.Any(f => f.Path == field)) { throw Invalid($"{prefix}text.fields[{i}]: '{field}' is not a text field of this index"); }
        }
    }

    /// <summary>Checks a filter by <see cref="FilterRules"/>, and that its <c>match.text</c> conditions name text fields.</summary>
    /// <exception cref="InvalidIndexArgumentException">The message names the offending part.</exception>
    public static void CheckFilter(ItemFilter? filter, HnswOptions options, string path = "filter")
    {
        FilterRules.ThrowIfInvalid(filter, path);
        foreach (var (condition, at) in FilterRules.TextMatches(filter, path))
        {
            if (options.Text?.Fields.Any(f => f.Path == condition.Key) != true)
            {
                throw Invalid($"{at}.match.text: '{condition.Key}' is not a text field of this index");
            }
        }
    }

    private static InvalidIndexArgumentException Invalid(string message) => new(message);
}
