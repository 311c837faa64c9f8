namespace Vectord.Contracts;

/// <summary>The contract's names of a read's consistency (<c>any</c>, <c>primary</c>).</summary>
public static class ConsistencyNames
{
    /// <summary>Parses a consistency name (case-insensitive); null (omitted) is <c>any</c>.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown name.</exception>
    public static ReadConsistency Parse(string? consistency) => consistency?.ToUpperInvariant() switch
    {
        null or "ANY" => ReadConsistency.Any,
        "PRIMARY" => ReadConsistency.Primary,
        _ => throw new InvalidIndexArgumentException($"unknown consistency \"{consistency}\" (expected any or primary)"),
    };

    /// <summary>The contract's name of <paramref name="consistency"/>; null for the default (<c>any</c>), so that a
    /// body without it stays as it was. A value outside the enumeration is written as its number, which
    /// <see cref="Parse"/> refuses.</summary>
    public static string? Format(ReadConsistency consistency) => consistency switch
    {
        ReadConsistency.Any => null,
        ReadConsistency.Primary => "primary",
        _ => consistency.ToString().ToLowerInvariant(),
    };
}
