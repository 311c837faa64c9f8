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

    /// <summary>What is wrong with <paramref name="filter"/>, naming the offending part from
    /// <paramref name="path"/> (e.g. <c>filter.must[1].range: at least one bound is required</c>), or null.</summary>
    public static string? Check(ItemFilter? filter, string path = "filter") =>
        filter is null ? null : CheckFilter(filter, path, 1);

    /// <summary>Throws when <paramref name="filter"/> breaks a rule.</summary>
    /// <exception cref="InvalidIndexArgumentException">The message names the offending part.</exception>
    public static void ThrowIfInvalid(ItemFilter? filter, string path = "filter")
    {
        if (Check(filter, path) is { } problem) { throw new InvalidIndexArgumentException(problem); }
    }

    /// <summary>What is wrong with a path (a key), or null: it must be non-empty, with no empty step between dots.</summary>
    public static string? CheckKey(string? key) =>
        string.IsNullOrEmpty(key) ? "must be a non-empty path"
        : key.Split('.').Any(step => step.Length == 0) ? $"'{key}' has an empty step between dots"
        : null;

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
        if (conditions.Length > MaxValues)
        {
            return $"{path}: more than {MaxValues} conditions";
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
        : null;

    private static string? ValuesProblem(FilterValue[]? values, string path)
    {
        if (values is null) { return $"{path}: a list of values is required"; }
        if (values.Length > MaxValues) { return $"{path}: more than {MaxValues} values"; }
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
        return empty >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{path}[{empty}]: must be a string") : null;
    }
}
