namespace Vectord.Contracts;

/// <summary>The contract's form of an ordered query's keys: <c>[{"key", "direction": "asc"|"desc"}]</c>.</summary>
public static class OrderByNames
{
    /// <summary>The grain contract's keys of a body's <c>order_by</c>; null when absent.</summary>
    /// <exception cref="InvalidIndexArgumentException">A key missing, or an unknown direction, named.</exception>
    public static OrderKey[]? ToKeys(OrderBySpec?[]? orderBy)
    {
        if (orderBy is null) { return null; }
        var keys = new OrderKey[orderBy.Length];
        for (int i = 0; i < orderBy.Length; i++)
        {
            string at = $"order_by[{i}]";
            var spec = orderBy[i] ?? throw new InvalidIndexArgumentException($"{at}: must be an object with key and direction");
            keys[i] = new OrderKey(spec.Key ?? throw new InvalidIndexArgumentException($"{at}.key: is required"), spec.Direction?.ToUpperInvariant() switch
            {
                null or "ASC" => false,
                "DESC" => true,
                _ => throw new InvalidIndexArgumentException($"{at}.direction: unknown value \"{spec.Direction}\" (expected asc or desc)"),
            });
        }
        return keys;
    }

    /// <summary>The contract's form of <paramref name="keys"/>; null when there are none.</summary>
    public static OrderBySpec[]? FromKeys(OrderKey[]? keys) =>
        keys is null ? null : [.. keys.Select(k => new OrderBySpec(k.Key, k.Descending ? "desc" : "asc"))];
}
