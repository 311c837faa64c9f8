using System.Text.Json;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>The filter rules read straight off the contract, one item at a time over a parsed JsonDocument: the
/// oracle the payload index is compared with.</summary>
internal static class ReferenceFilter
{
    public static bool Matches(PayloadFilter filter, string id, byte[]? metadata)
    {
        if (metadata is null)
        {
            return Matches(filter, id, default(JsonElement?));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(metadata);
        }
        catch (JsonException)
        {
            return Matches(filter, id, default(JsonElement?));
        }
        using (document)
        {
            return Matches(filter, id, document.RootElement);
        }
    }

    private static bool Matches(PayloadFilter filter, string id, JsonElement? root) => filter switch
    {
        AllOf all => all.Filters.All(f => Matches(f, id, root)),
        AnyOf any => any.Filters.Any(f => Matches(f, id, root)),
        NotOf not => !Matches(not.Filter, id, root),
        IdIn ids => ids.Ids.Contains(id),
        ValueIn f => Scalars(root, f.Path).Any(v => f.Values.Any(w => Equal(v, w))),
        ValueNotIn f => Scalars(root, f.Path).Any(v => !f.Values.Any(w => Equal(v, w))),
        NumberRange f => Scalars(root, f.Path).Any(v => v.ValueKind == JsonValueKind.Number && Within(Number(v), f)),
        IsNull f => Reached(root, f.Path).Any(v => v.ValueKind == JsonValueKind.Null),
        IsEmpty f => Reached(root, f.Path).All(v => v.ValueKind == JsonValueKind.Null
            || (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0)),
        _ => throw new ArgumentException(filter.ToString()),
    };

    /// <summary>The values the keys named by <paramref name="path"/> hold, arrays on the way stepped through.</summary>
    private static IEnumerable<JsonElement> Reached(JsonElement? root, string path) =>
        root is { ValueKind: JsonValueKind.Object } element ? Reach(element, path.Split('.'), 0) : [];

    private static IEnumerable<JsonElement> Reach(JsonElement element, string[] steps, int step)
    {
        if (step == steps.Length)
        {
            return [element];
        }
        return element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject()
                .Where(p => p.Name == steps[step])
                .SelectMany(p => Reach(p.Value, steps, step + 1)),
            JsonValueKind.Array => element.EnumerateArray().SelectMany(e => Reach(e, steps, step)),
            _ => [],
        };
    }

    /// <summary>The strings, numbers and booleans at <paramref name="path"/>, arrays flattened.</summary>
    private static IEnumerable<JsonElement> Scalars(JsonElement? root, string path) =>
        Reached(root, path).SelectMany(Flatten);

    private static IEnumerable<JsonElement> Flatten(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Flatten),
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [element],
        _ => [],
    };

    private static bool Equal(JsonElement value, PayloadValue filter) => value.ValueKind switch
    {
        JsonValueKind.String => filter.Kind == PayloadValueKind.Text && value.GetString() == filter.Text,
        JsonValueKind.Number => filter.Kind == PayloadValueKind.Number && Number(value) == filter.Number,
        JsonValueKind.True => filter.Kind == PayloadValueKind.Bool && filter.Bool,
        _ => filter.Kind == PayloadValueKind.Bool && !filter.Bool,
    };

    /// <summary>A number's value; one beyond the range of a double is an infinity.</summary>
    private static double Number(JsonElement number) =>
        number.TryGetDouble(out double value) ? value
        : number.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;

    private static bool Within(double number, NumberRange range) =>
        (range.Gt is not { } gt || number > gt)
        && (range.Gte is not { } gte || number >= gte)
        && (range.Lt is not { } lt || number < lt)
        && (range.Lte is not { } lte || number <= lte);
}
