using System.Globalization;
using System.Text.Json;

namespace Vectord;

/// <summary>
/// The JSON form of an <see cref="ItemFilter"/>, as the HTTP contract writes it (Qdrant's shape):
/// <code>
/// Filter    = {"must": [Condition]?, "should": [Condition]?, "must_not": [Condition]?}
/// Condition = Filter | {"key", "match": {"value" | "any" | "except"}} | {"key", "range": {"gt"?, "gte"?, "lt"?, "lte"?}}
///           | {"is_null": {"key"}} | {"is_empty": {"key"}} | {"has_id": [str]}
/// </code>
/// <see cref="Read"/> maps JSON to the records and then checks them with <see cref="FilterRules.Check"/>, the one
/// home of the structural rules (depth, counts, bounds, keys); it names wrong JSON types itself. <see cref="Write"/>
/// writes the same JSON back.
/// </summary>
/// <remarks>
/// Reading is strict about names, because a misspelt operator silently ignored would change which items a filter
/// selects (and a delete by filter would remove them): a field a filter, a condition, a <c>match</c> or a
/// <c>range</c> does not have is refused, and so is a field given twice. A JSON <c>null</c> for <c>must</c>,
/// <c>should</c>, <c>must_not</c> or a range bound counts as absent. Scalars are strings, integers or booleans; a
/// JSON number with an integral value (<c>1</c>, <c>1.0</c>, <c>-3e2</c>) is an integer, any other number is refused.
/// </remarks>
public static class FilterJson
{
    private const string ScalarTypes = "must be a string, an integer or a boolean";

    private const string UnknownCondition =
        "unknown condition (expected a nested filter, key with match or range, is_null, is_empty or has_id)";

    /// <summary>Reads a filter from its JSON form.</summary>
    /// <param name="element">The filter's JSON value (an object).</param>
    /// <param name="path">How the filter is named in error messages, e.g. <c>filter</c> or <c>searches[3].filter</c>.</param>
    /// <returns>The filter, checked with <see cref="FilterRules.Check"/>.</returns>
    /// <exception cref="InvalidIndexArgumentException">The JSON is not a valid filter; the message names the offending
    /// part from <paramref name="path"/> (e.g. <c>filter.must[1].range: at least one bound is required</c>).</exception>
    public static ItemFilter Read(JsonElement element, string path = "filter")
    {
        ArgumentNullException.ThrowIfNull(path);
        ItemFilter filter = ReadFilter(element, path, 1);
        FilterRules.ThrowIfInvalid(filter, path);
        return filter;
    }

    /// <summary>Writes <paramref name="filter"/> in its JSON form (what <see cref="Read"/> reads back).</summary>
    public static void Write(Utf8JsonWriter writer, ItemFilter filter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(filter);
        WriteFilter(writer, filter);
    }

    // ---------------------------------------------------------------- reading

    private static ItemFilter ReadFilter(JsonElement element, string path, int depth)
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
                case "must": must = ReadConditions(property.Value, $"{path}.must", depth); break;
                case "should": should = ReadConditions(property.Value, $"{path}.should", depth); break;
                case "must_not": mustNot = ReadConditions(property.Value, $"{path}.must_not", depth); break;
                default:
                    throw Invalid($"{path}: unknown field \"{property.Name}\" (a filter has must, should and must_not)");
            }
        }
        return new ItemFilter(must, should, mustNot);
    }

    private static FilterCondition[]? ReadConditions(JsonElement element, string path, int depth)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}: must be an array of conditions");
        }
        var conditions = new FilterCondition[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement condition in element.EnumerateArray())
        {
            conditions[i] = ReadCondition(condition, Index(path, i), depth);
            i++;
        }
        return conditions;
    }

    private static FilterCondition ReadCondition(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object");
        }
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
            "filter" => ReadFilterCondition(element, path, depth),
            "key" => ReadFieldCondition(element, path),
            _ => ReadSingleFieldCondition(element, kind, path),
        };
    }

    private static ItemFilter ReadFilterCondition(JsonElement element, string path, int depth)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("must" or "should" or "must_not"))
            {
                throw UnknownField(path, property.Name, "a nested filter");
            }
        }
        return ReadFilter(element, path, depth + 1);
    }

    private static FilterCondition ReadFieldCondition(JsonElement element, string path)
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
        return match is { } matchValue ? ReadMatch(key!, matchValue, $"{path}.match")
            : range is { } rangeValue ? ReadRange(key!, rangeValue, $"{path}.range")
            : throw Invalid($"{path}: a condition with a key needs match or range");
    }

    private static FilterCondition ReadMatch(string key, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object with value, any or except");
        }
        FilterCondition? condition = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("value" or "any" or "except"))
            {
                throw Invalid($"{path}: unknown operator \"{property.Name}\" (expected value, any or except)");
            }
            if (condition is not null)
            {
                throw Invalid($"{path}: only one of value, any or except may be given");
            }
            string at = $"{path}.{property.Name}";
            condition = property.Name switch
            {
                "value" => new MatchCondition(key, ReadScalar(property.Value, at)),
                "any" => new MatchAnyCondition(key, ReadScalars(property.Value, at)!),
                _ => new MatchExceptCondition(key, ReadScalars(property.Value, at)!),
            };
        }
        return condition ?? throw Invalid($"{path}: one of value, any or except is required");
    }

    private static RangeCondition ReadRange(string key, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path}: must be an object with gt, gte, lt or lte");
        }
        double? gt = null, gte = null, lt = null, lte = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("gt" or "gte" or "lt" or "lte"))
            {
                throw Invalid($"{path}: unknown operator \"{property.Name}\" (expected gt, gte, lt or lte)");
            }
            Once(seen, property.Name, path);
            double? bound = ReadBound(property.Value, $"{path}.{property.Name}");
            switch (property.Name)
            {
                case "gt": gt = bound; break;
                case "gte": gte = bound; break;
                case "lt": lt = bound; break;
                default: lte = bound; break;
            }
        }
        // No bound at all (or only nulls) is left to FilterRules: "at least one bound is required".
        return new RangeCondition(key, gt, gte, lt, lte);
    }

    private static double? ReadBound(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        // A number beyond double's range reads as infinite, which FilterRules refuses ("must be a finite number").
        JsonValueKind.Number => element.TryGetDouble(out double value) ? value
            : double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw Invalid($"{path}: must be a number"),
    };

    private static FilterCondition ReadSingleFieldCondition(JsonElement element, string kind, string path)
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
            _ => new HasIdCondition(ReadIds(body, at)),
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

    private static string[] ReadIds(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}: must be an array of strings");
        }
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

    // ---------------------------------------------------------------- writing

    private static void WriteFilter(Utf8JsonWriter writer, ItemFilter filter)
    {
        writer.WriteStartObject();
        WriteConditions(writer, "must", filter.Must);
        WriteConditions(writer, "should", filter.Should);
        WriteConditions(writer, "must_not", filter.MustNot);
        writer.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter writer, string name, FilterCondition[]? conditions)
    {
        if (conditions is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (FilterCondition condition in conditions)
        {
            WriteCondition(writer, condition);
        }
        writer.WriteEndArray();
    }

    private static void WriteCondition(Utf8JsonWriter writer, FilterCondition condition)
    {
        if (condition is ItemFilter nested)
        {
            WriteFilter(writer, nested);
            return;
        }
        writer.WriteStartObject();
        switch (condition)
        {
            case MatchCondition m:
                writer.WriteString("key", m.Key);
                writer.WriteStartObject("match");
                writer.WritePropertyName("value");
                WriteScalar(writer, m.Value);
                writer.WriteEndObject();
                break;
            case MatchAnyCondition m:
                writer.WriteString("key", m.Key);
                writer.WriteStartObject("match");
                WriteScalars(writer, "any", m.Any);
                writer.WriteEndObject();
                break;
            case MatchExceptCondition m:
                writer.WriteString("key", m.Key);
                writer.WriteStartObject("match");
                WriteScalars(writer, "except", m.Except);
                writer.WriteEndObject();
                break;
            case RangeCondition r:
                writer.WriteString("key", r.Key);
                writer.WriteStartObject("range");
                WriteBound(writer, "gt", r.Gt);
                WriteBound(writer, "gte", r.Gte);
                WriteBound(writer, "lt", r.Lt);
                WriteBound(writer, "lte", r.Lte);
                writer.WriteEndObject();
                break;
            case IsNullCondition n:
                writer.WriteStartObject("is_null");
                writer.WriteString("key", n.Key);
                writer.WriteEndObject();
                break;
            case IsEmptyCondition e:
                writer.WriteStartObject("is_empty");
                writer.WriteString("key", e.Key);
                writer.WriteEndObject();
                break;
            case HasIdCondition h:
                writer.WriteStartArray("has_id");
                foreach (string id in h.Ids)
                {
                    writer.WriteStringValue(id);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"unknown condition {condition?.GetType().Name}", nameof(condition));
        }
        writer.WriteEndObject();
    }

    private static void WriteScalars(Utf8JsonWriter writer, string name, FilterValue[] values)
    {
        writer.WriteStartArray(name);
        foreach (FilterValue value in values)
        {
            WriteScalar(writer, value);
        }
        writer.WriteEndArray();
    }

    private static void WriteScalar(Utf8JsonWriter writer, FilterValue value)
    {
        switch (value.Kind)
        {
            case FilterValueKind.Text: writer.WriteStringValue(value.Text); break;
            case FilterValueKind.Boolean: writer.WriteBooleanValue(value.Boolean); break;
            default: writer.WriteNumberValue(value.Number); break;
        }
    }

    private static void WriteBound(Utf8JsonWriter writer, string name, double? bound)
    {
        if (bound is { } value)
        {
            writer.WriteNumber(name, value);
        }
    }
}
