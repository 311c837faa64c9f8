using System.Globalization;
using System.Text.Json;

namespace Vectord;

/// <summary>Reads the JSON form of a filter for <see cref="FilterJson.Read(System.Text.Json.JsonElement, string)"/>: wrong JSON types, unknown or repeated
/// fields and non-integral scalars are refused here, naming the offending part; the structural rules are
/// <see cref="FilterRules"/>'s.</summary>
internal static class FilterJsonReader
{
    private const string ScalarTypes = "must be a string, an integer or a boolean";

    private const string UnknownCondition =
        "unknown condition (expected a nested filter, key with match or range, is_null, is_empty or has_id)";


    internal static ItemFilter ReadFilter(JsonElement element, string path, int depth, FilterBudget budget)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object");
        }
        if (depth > FilterRules.MaxDepth)
        {
            // Deeper than any valid filter: FilterRules names it at this path; reading on would only recurse further.
            return new ItemFilter();
        }
        FilterCondition[]? must = null, should = null, mustNot = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            Once(seen, property.Name, path);
            switch (property.Name)
            {
                case "must": must = ReadConditions(property.Value, $"{path}.must", depth, budget); break;
                case "should": should = ReadConditions(property.Value, $"{path}.should", depth, budget); break;
                case "must_not": mustNot = ReadConditions(property.Value, $"{path}.must_not", depth, budget); break;
                default:
                    throw Invalid($"{path}: unknown field \"{property.Name}\" (a filter has must, should and must_not)");
            }
        }
        return new ItemFilter(must, should, mustNot);
    }

    private static FilterCondition[]? ReadConditions(JsonElement element, string path, int depth, FilterBudget budget)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}: must be an array of conditions");
        }
        if (FilterRules.CountProblem(element.GetArrayLength(), path, "conditions") is { } tooMany)
        {
            throw Invalid(tooMany);   // before they are read (and their cost spent)
        }
        var conditions = new FilterCondition[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement condition in element.EnumerateArray())
        {
            conditions[i] = ReadCondition(condition, Index(path, i), depth, budget);
            i++;
        }
        return conditions;
    }

    private static FilterCondition ReadCondition(JsonElement element, string path, int depth, FilterBudget budget)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object");
        }
        budget.Spend(FilterRules.ConditionCost, path);
        // The condition's kind is named by the first field that names one; every other field must belong to it.
        string? kind = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            kind = property.Name switch
            {
                "key" or "match" or "range" => "key",
                "is_null" or "is_empty" or "has_id" => property.Name,
                "must" or "should" or "must_not" => "filter",
                _ => null,
            };
            if (kind is not null)
            {
                break;
            }
        }
        return kind switch
        {
            null when IsEmptyObject(element) => new ItemFilter(),
            null => throw Invalid($"{path}: {UnknownCondition}"),
            "filter" => ReadFilterCondition(element, path, depth, budget),
            "key" => ReadFieldCondition(element, path, budget),
            _ => ReadSingleFieldCondition(element, kind, path, budget),
        };
    }

    private static ItemFilter ReadFilterCondition(JsonElement element, string path, int depth, FilterBudget budget)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("must" or "should" or "must_not"))
            {
                throw UnknownField(path, property.Name, "a nested filter");
            }
        }
        return ReadFilter(element, path, depth + 1, budget);
    }

    private static FilterCondition ReadFieldCondition(JsonElement element, string path, FilterBudget budget)
    {
        string? key = null;
        JsonElement? match = null, range = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            Once(seen, property.Name, path);
            switch (property.Name)
            {
                case "key": key = ReadKey(property.Value, $"{path}.key"); break;
                case "match": match = property.Value; break;
                case "range": range = property.Value; break;
                default: throw UnknownField(path, property.Name, "a key condition");
            }
        }
        if (match is not null && range is not null)
        {
            throw Invalid($"{path}: match and range cannot be combined in one condition (use two conditions)");
        }
        // A missing key is left to FilterRules, which names it (".key: must be a non-empty path").
        return match is { } matchValue ? ReadMatch(key!, matchValue, $"{path}.match", budget)
            : range is { } rangeValue ? ReadRange(key!, rangeValue, $"{path}.range")
            : throw Invalid($"{path}: a condition with a key needs match or range");
    }

    private static FilterCondition ReadMatch(string key, JsonElement element, string path, FilterBudget budget)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object with value, any, except or text");
        }
        FilterCondition? condition = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("value" or "any" or "except" or "text"))
            {
                throw Invalid($"{path}: unknown operator \"{property.Name}\" (expected value, any, except or text)");
            }
            if (condition is not null)
            {
                throw Invalid($"{path}: only one of value, any, except or text may be given");
            }
            string at = $"{path}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Array
                && FilterRules.CountProblem(property.Value.GetArrayLength(), at, "values") is { } tooMany)
            {
                throw Invalid(tooMany);
            }
            budget.Spend(property.Value.ValueKind == JsonValueKind.Array ? property.Value.GetArrayLength() : 1, at);
            condition = property.Name switch
            {
                "value" => new MatchCondition(key, ReadScalar(property.Value, at)),
                "any" => new MatchAnyCondition(key, ReadScalars(property.Value, at)!),
                "text" => new TextMatchCondition(key, property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : throw Invalid($"{at}: must be a string")),
                _ => new MatchExceptCondition(key, ReadScalars(property.Value, at)!),
            };
        }
        return condition ?? throw Invalid($"{path}: one of value, any, except or text is required");
    }

    private static FilterCondition ReadRange(string key, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object with gt, gte, lt or lte");
        }
        // No bound at all (or only nulls) is left to FilterRules: "at least one bound is required". A range with a
        // string bound compares date-times; every bound is then one.
        if (element.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String))
        {
            var (gt, gte, lt, lte) = ReadBounds(element, path, ReadTimeBound);
            return new TimeRangeCondition(key, gt, gte, lt, lte);
        }
        var (numberGt, numberGte, numberLt, numberLte) = ReadBounds(element, path, ReadBound);
        return new RangeCondition(key, numberGt, numberGte, numberLt, numberLte);
    }

    /// <summary>The bounds of a range object, each read with <paramref name="read"/>.</summary>
    private static (T? Gt, T? Gte, T? Lt, T? Lte) ReadBounds<T>(JsonElement element, string path, Func<JsonElement, string, T?> read)
        where T : struct
    {
        T? gt = null, gte = null, lt = null, lte = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("gt" or "gte" or "lt" or "lte"))
            {
                throw Invalid($"{path}: unknown operator \"{property.Name}\" (expected gt, gte, lt or lte)");
            }
            Once(seen, property.Name, path);
            T? bound = read(property.Value, $"{path}.{property.Name}");
            switch (property.Name)
            {
                case "gt": gt = bound; break;
                case "gte": gte = bound; break;
                case "lt": lt = bound; break;
                default: lte = bound; break;
            }
        }
        return (gt, gte, lt, lte);
    }

    private static DateTimeOffset? ReadTimeBound(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when DateTimeText.TryParse(element.GetString(), out var instant) => instant,
        JsonValueKind.String => throw Invalid($"{path}: must be a number, or an RFC 3339 date-time such as 2026-01-31T09:30:00Z"),
        _ => throw Invalid($"{path}: must be a date-time string, as the other bounds of this range are"),
    };

    private static double? ReadBound(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        // A number beyond double's range reads as infinite, which FilterRules refuses ("must be a finite number").
        JsonValueKind.Number => element.TryGetDouble(out double value) ? value
            : double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw Invalid($"{path}: must be a number"),
    };

    private static FilterCondition ReadSingleFieldCondition(JsonElement element, string kind, string path, FilterBudget budget)
    {
        JsonElement? value = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name != kind)
            {
                throw UnknownField(path, property.Name, kind == "has_id" ? "a has_id condition" : $"an {kind} condition");
            }
            if (value is not null)
            {
                throw Invalid($"{path}.{kind}: given twice");
            }
            value = property.Value;
        }
        JsonElement body = value!.Value;
        string at = $"{path}.{kind}";
        return kind switch
        {
            "is_null" => new IsNullCondition(ReadKeyObject(body, at)!),
            "is_empty" => new IsEmptyCondition(ReadKeyObject(body, at)!),
            _ => new HasIdCondition(ReadIds(body, at, budget)),
        };
    }

    /// <summary>The <c>{"key": path}</c> of is_null and is_empty; a missing key is left to FilterRules.</summary>
    private static string? ReadKeyObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object {{\"key\": path}}");
        }
        string? key = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name != "key")
            {
                throw Invalid($"{path}: unknown field \"{property.Name}\" (expected key)");
            }
            Once(seen, property.Name, path);
            key = ReadKey(property.Value, $"{path}.key");
        }
        return key;
    }

    private static string? ReadKey(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        _ => throw Invalid($"{path}: must be a string"),
    };

    private static string[] ReadIds(JsonElement element, string path, FilterBudget budget)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}: must be an array of strings");
        }
        budget.Spend(element.GetArrayLength(), path);
        var ids = new string[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement id in element.EnumerateArray())
        {
            ids[i] = id.ValueKind == JsonValueKind.String ? id.GetString()! : throw Invalid($"{Index(path, i)}: must be a string");
            i++;
        }
        return ids;
    }

    private static FilterValue[]? ReadScalars(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;   // FilterRules: "a list of values is required"
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}: must be an array of strings, integers or booleans");
        }
        var values = new FilterValue[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement value in element.EnumerateArray())
        {
            values[i] = ReadScalar(value, Index(path, i));
            i++;
        }
        return values;
    }

    private static FilterValue ReadScalar(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Of(element.GetString()!),
        JsonValueKind.True => FilterValue.Of(true),
        JsonValueKind.False => FilterValue.Of(false),
        JsonValueKind.Number when TryGetInteger(element, out long integer) => FilterValue.Of(integer),
        _ => throw Invalid($"{path}: {ScalarTypes}"),
    };

    /// <summary>A JSON number with an integral value that fits a long: <c>1</c>, <c>1.0</c>, <c>-3e2</c>.</summary>
    private static bool TryGetInteger(JsonElement element, out long integer)
    {
        if (element.TryGetInt64(out integer))
        {
            return true;
        }
        if (element.TryGetDecimal(out decimal exact))
        {
            if (exact == decimal.Truncate(exact) && exact >= long.MinValue && exact <= long.MaxValue)
            {
                integer = (long)exact;
                return true;
            }
            return false;
        }
        // Beyond decimal's range (or an exponent it does not take): exact in double when integral and small enough.
        if (double.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value) && Math.Floor(value) == value && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18)
        {
            integer = (long)value;
            return true;
        }
        integer = 0;
        return false;
    }

    private static bool IsEmptyObject(JsonElement element)
    {
        using var properties = element.EnumerateObject();
        return !properties.MoveNext();
    }

    private static void Once(HashSet<string> seen, string name, string path)
    {
        if (!seen.Add(name))
        {
            throw Invalid($"{path}.{name}: given twice");
        }
    }

    private static InvalidIndexArgumentException UnknownField(string path, string name, string what) =>
        Invalid($"{path}: unknown field \"{name}\" in {what}");

    private static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");

    private static InvalidIndexArgumentException Invalid(string message) => new(message);
}
