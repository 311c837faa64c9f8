using System.Globalization;

namespace Vectord;

/// <summary>
/// The rules a filter must follow, the one place they are written: the grains check every filter they are given
/// with <see cref="Check"/>, and the gateway's JSON reader names wrong JSON types in the same words.
/// </summary>
public static class FilterRules
{
    /// <summary>Deepest nesting of filters inside filters (the outermost filter is depth 1).</summary>
    public const int MaxDepth = 16;

    /// <summary>Most values in one <c>match.any</c> or <c>match.except</c>, and most conditions in one
    /// <c>must</c>, <c>should</c> or <c>must_not</c>.</summary>
    public const int MaxValues = 1024;

    /// <summary>Each <see cref="TextMatchCondition"/> in <paramref name="filter"/> with the path naming it (e.g.
    /// <c>filter.must[0]</c>), for the checks that need the index (is its key a text field).</summary>
    public static IEnumerable<(TextMatchCondition Condition, string Path)> TextMatches(ItemFilter? filter, string path = "filter")
    {
        if (filter is null) { yield break; }
        foreach (var (list, name) in new[] { (filter.Must, "must"), (filter.Should, "should"), (filter.MustNot, "must_not") })
        {
            for (int i = 0; i < (list?.Length ?? 0); i++)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i}]");
                if (list![i] is TextMatchCondition m) { yield return (m, at); }
                else if (list[i] is ItemFilter nested)
                {
                    foreach (var found in TextMatches(nested, at)) { yield return found; }
                }
            }
        }
    }

    /// <summary>Most the filters of one request may cost together (the searches of a batch add up): the cost is
    /// <see cref="ConditionCost"/> per condition (a nested filter is one, and so are its own conditions) plus one
    /// per value or id the conditions list. Evaluating a condition may read every entry of its path, so conditions
    /// weigh more than values; the heaviest filter within the budget takes about half a second on 50,000 items.</summary>
    public const int MaxCost = 16_384;

    /// <summary>What one condition adds to a filter's cost (see <see cref="MaxCost"/>).</summary>
    public const int ConditionCost = 64;

    /// <summary>What is wrong with <paramref name="filter"/>, naming the offending part from
    /// <paramref name="path"/> (e.g. <c>filter.must[1].range: at least one bound is required</c>), or null.</summary>
    /// <remarks>A filter that costs more than <see cref="MaxCost"/> on its own is refused here too; a request with
    /// several filters checks their sum with <see cref="ThrowIfOverBudget"/>.</remarks>
    public static string? Check(ItemFilter? filter, string path = "filter") =>
        filter is null ? null : CheckFilter(filter, path, 1) ?? CostProblem(Cost(filter), path);

    /// <summary>What <paramref name="filter"/> costs (see <see cref="MaxCost"/>); 0 for none.</summary>
    public static long Cost(ItemFilter? filter) =>
        filter is null ? 0 : ListCost(filter.Must) + ListCost(filter.Should) + ListCost(filter.MustNot);

    /// <summary>What a condition adds to its filter's cost, nested conditions included.</summary>
    public static long Cost(FilterCondition? condition) => ConditionCost + condition switch
    {
        ItemFilter nested => Cost(nested),
        MatchCondition => 1,
        MatchAnyCondition m => m.Any?.Length ?? 0,
        MatchExceptCondition m => m.Except?.Length ?? 0,
        HasIdCondition h => h.Ids?.Length ?? 0,
        _ => 0,
    };

    /// <summary>Throws when <paramref name="filters"/>, the filters of one request, cost more than
    /// <see cref="MaxCost"/> together.</summary>
    /// <param name="filters">The request's filters (nulls count nothing).</param>
    /// <param name="path">How the request's filters are named in the message, e.g. <c>searches</c>.</param>
    /// <exception cref="InvalidIndexArgumentException">The message names the budget and the cost.</exception>
    public static void ThrowIfOverBudget(IEnumerable<ItemFilter?> filters, string path)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (CostProblem(filters.Sum(Cost), path) is { } problem) { throw new InvalidIndexArgumentException(problem); }
    }

    /// <summary>The refusal of filters that cost <paramref name="cost"/>, or null within the budget.</summary>
    internal static string? CostProblem(long cost, string path, bool atLeast = false) => cost <= MaxCost ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"{path}: the filters cost {(atLeast ? "at least " : "")}{cost}, more than the {MaxCost} one request may ({ConditionCost} per condition, 1 per value or id listed); use fewer conditions or split the request");

    /// <summary>Throws when <paramref name="filter"/> breaks a rule.</summary>
    /// <exception cref="InvalidIndexArgumentException">The message names the offending part.</exception>
    public static void ThrowIfInvalid(ItemFilter? filter, string path = "filter")
    {
        if (Check(filter, path) is { } problem) { throw new InvalidIndexArgumentException(problem); }
    }

    /// <summary>What is wrong with a path (a key), or null: it must be non-empty, with no empty step between dots.</summary>
    public static string? CheckKey(string? key) =>
        string.IsNullOrEmpty(key) ? "must be a non-empty path"
        : !ItemLimits.IsWellFormed(key) ? NotText
        : key.Split('.').Any(step => step.Length == 0) ? $"'{key}' has an empty step between dots"
        : null;

    /// <summary>What a key, string value or id that is not Unicode text is told.</summary>
    internal const string NotText = "is not valid Unicode text (an unpaired surrogate or invalid UTF-8)";

    /// <summary>The refusal of a list of <paramref name="count"/> conditions or values, or null within
    /// <see cref="MaxValues"/>.</summary>
    internal static string? CountProblem(int count, string path, string what) =>
        count > MaxValues ? $"{path}: more than {MaxValues} {what}" : null;

    private static long ListCost(FilterCondition[]? conditions)
    {
        long cost = 0;
        foreach (FilterCondition? condition in conditions ?? [])
        {
            cost += Cost(condition);
        }
        return cost;
    }

    private static string? CheckFilter(ItemFilter filter, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"{path}: filters nest deeper than {MaxDepth}";
        }
        return CheckList(filter.Must, $"{path}.must", depth)
            ?? CheckList(filter.Should, $"{path}.should", depth)
            ?? CheckList(filter.MustNot, $"{path}.must_not", depth);
    }

    private static string? CheckList(FilterCondition[]? conditions, string path, int depth)
    {
        if (conditions is null) { return null; }
        if (CountProblem(conditions.Length, path, "conditions") is { } tooMany)
        {
            return tooMany;
        }
        for (int i = 0; i < conditions.Length; i++)
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (CheckCondition(conditions[i], at, depth) is { } problem) { return problem; }
        }
        return null;
    }

    private static string? CheckCondition(FilterCondition? condition, string path, int depth) => condition switch
    {
        null => $"{path}: a condition is required",
        ItemFilter nested => CheckFilter(nested, path, depth + 1),
        MatchCondition m => KeyProblem(m.Key, path) ?? ValueProblem(m.Value, $"{path}.match.value"),
        MatchAnyCondition m => KeyProblem(m.Key, path) ?? ValuesProblem(m.Any, $"{path}.match.any"),
        MatchExceptCondition m => KeyProblem(m.Key, path) ?? ValuesProblem(m.Except, $"{path}.match.except"),
        RangeCondition r => KeyProblem(r.Key, path) ?? RangeProblem(r, $"{path}.range"),
        TimeRangeCondition t => KeyProblem(t.Key, path)
            ?? (t.Gt is null && t.Gte is null && t.Lt is null && t.Lte is null ? $"{path}.range: at least one bound is required" : null),
        TextMatchCondition m => KeyProblem(m.Key, path) ?? TextProblem(m.Text, $"{path}.match.text"),
        IsNullCondition n => KeyProblem(n.Key, $"{path}.is_null"),
        IsEmptyCondition e => KeyProblem(e.Key, $"{path}.is_empty"),
        HasIdCondition h => IdsProblem(h.Ids, $"{path}.has_id"),
        _ => $"{path}: unknown condition {condition.GetType().Name}",
    };

    private static string? KeyProblem(string? key, string path) =>
        CheckKey(key) is { } problem ? $"{path}.key: {problem}" : null;

    private static string? ValueProblem(FilterValue value, string path) =>
        !Enum.IsDefined(value.Kind) ? $"{path}: must be a string, an integer or a boolean"
        : value.Kind == FilterValueKind.Text && value.Text is null ? $"{path}: a string value is null"
        : value.Kind == FilterValueKind.Text && !ItemLimits.IsWellFormed(value.Text!) ? $"{path}: {NotText}"
        : null;

    private static string? TextProblem(string? text, string path) =>
        text is null ? $"{path}: must be a string"
        : text.Length > IndexLimits.MaxText ? $"{path}: longer than {IndexLimits.MaxText} characters"
        : !ItemLimits.IsWellFormed(text) ? $"{path}: {NotText}"
        : null;

    private static string? ValuesProblem(FilterValue[]? values, string path)
    {
        if (values is null) { return $"{path}: a list of values is required"; }
        if (CountProblem(values.Length, path, "values") is { } tooMany) { return tooMany; }
        for (int i = 0; i < values.Length; i++)
        {
            if (ValueProblem(values[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")) is { } problem) { return problem; }
        }
        return null;
    }

    private static string? RangeProblem(RangeCondition range, string path)
    {
        if (range.Gt is null && range.Gte is null && range.Lt is null && range.Lte is null)
        {
            return $"{path}: at least one bound is required";
        }
        foreach (var (name, bound) in new[] { ("gt", range.Gt), ("gte", range.Gte), ("lt", range.Lt), ("lte", range.Lte) })
        {
            if (bound is { } b && !double.IsFinite(b)) { return $"{path}.{name}: must be a finite number"; }
        }
        return null;
    }

    private static string? IdsProblem(string[]? ids, string path)
    {
        if (ids is null) { return $"{path}: a list of ids is required"; }
        if (ids.Length > ItemLimits.MaxBatchItems) { return $"{path}: more than {ItemLimits.MaxBatchItems} ids"; }
        int empty = Array.FindIndex(ids, id => id is null);
        if (empty >= 0) { return string.Create(CultureInfo.InvariantCulture, $"{path}[{empty}]: must be a string"); }
        int broken = Array.FindIndex(ids, id => !ItemLimits.IsWellFormed(id));
        return broken >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{path}[{broken}]: {NotText}") : null;
    }
}
