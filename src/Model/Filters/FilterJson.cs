using System.Globalization;
using System.Text.Json;

namespace Vectord;

/// <summary>
/// The JSON form of an <see cref="ItemFilter"/>, as the HTTP contract writes it (Qdrant's shape):
/// <code>
/// Filter    = {"must": [Condition]?, "should": [Condition]?, "must_not": [Condition]?}
/// Condition = Filter | {"key", "match": {"value" | "any" | "except" | "text"}} | {"key", "range": {"gt"?, "gte"?, "lt"?, "lte"?}}
///             (bounds all numbers, or all RFC 3339 date-time strings: a <see cref="TimeRangeCondition"/>)
///           | {"is_null": {"key"}} | {"is_empty": {"key"}} | {"has_id": [str]}
/// </code>
/// <see cref="Read(JsonElement, string)"/> maps JSON to the records and then checks them with <see cref="FilterRules.Check"/>, the one
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
    /// <summary>Reads a filter from its JSON form.</summary>
    /// <param name="element">The filter's JSON value (an object).</param>
    /// <param name="path">How the filter is named in error messages, e.g. <c>filter</c> or <c>searches[3].filter</c>.</param>
    /// <returns>The filter, checked with <see cref="FilterRules.Check"/>.</returns>
    /// <exception cref="InvalidIndexArgumentException">The JSON is not a valid filter; the message names the offending
    /// part from <paramref name="path"/> (e.g. <c>filter.must[1].range: at least one bound is required</c>).</exception>
    public static ItemFilter Read(JsonElement element, string path = "filter") => Read(element, path, new FilterBudget());

    /// <summary>Reads one of the filters of a request, spending its cost from the request's
    /// <paramref name="budget"/>: reading stops at the condition that passes <see cref="FilterRules.MaxCost"/>.</summary>
    /// <param name="element">The filter's JSON value (an object).</param>
    /// <param name="path">How the filter is named in error messages, e.g. <c>searches[3].filter</c>.</param>
    /// <param name="budget">What the request's filters have spent so far, shared between them.</param>
    /// <returns>The filter, checked with <see cref="FilterRules.Check"/>.</returns>
    /// <exception cref="InvalidIndexArgumentException">The JSON is not a valid filter, holds a key or string that
    /// is not Unicode text (invalid UTF-8 or an unpaired surrogate escape), or the request's filters cost too much;
    /// the message names the offending part.</exception>
    public static ItemFilter Read(JsonElement element, string path, FilterBudget budget)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(budget);
        ItemFilter filter;
        try
        {
            filter = FilterJsonReader.ReadFilter(element, path, 1, budget);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json cannot turn a key or string into .NET text: invalid UTF-8, or an escape such as
            // "\ud83d" that decodes to an unpaired surrogate.
            throw new InvalidIndexArgumentException($"{path}: a key or string {FilterRules.NotText}");
        }
        FilterRules.ThrowIfInvalid(filter, path);
        return filter;
    }

    /// <summary>Writes <paramref name="filter"/> in its JSON form (what <see cref="Read(JsonElement, string)"/> reads back).</summary>
    public static void Write(Utf8JsonWriter writer, ItemFilter filter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(filter);
        WriteFilter(writer, filter);
    }

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
            case TextMatchCondition m:
                writer.WriteString("key", m.Key);
                writer.WriteStartObject("match");
                writer.WriteString("text", m.Text);
                writer.WriteEndObject();
                break;
            case RangeCondition r:
                WriteRange(writer, r.Key, r.Gt, r.Gte, r.Lt, r.Lte, static (w, name, bound) => w.WriteNumber(name, bound));
                break;
            case TimeRangeCondition t:
                WriteRange(writer, t.Key, t.Gt, t.Gte, t.Lt, t.Lte, static (w, name, bound) => w.WriteString(name, DateTimeText.Format(bound)));
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

    /// <summary>A range condition: its key and the bounds given, each written with <paramref name="write"/>.</summary>
    private static void WriteRange<T>(Utf8JsonWriter writer, string key, T? gt, T? gte, T? lt, T? lte, Action<Utf8JsonWriter, string, T> write)
        where T : struct
    {
        writer.WriteString("key", key);
        writer.WriteStartObject("range");
        foreach (var (name, bound) in new[] { ("gt", gt), ("gte", gte), ("lt", lt), ("lte", lte) })
        {
            if (bound is { } value) { write(writer, name, value); }
        }
        writer.WriteEndObject();
    }
}
