namespace Vectord.Contracts;

/// <summary>The contract's names of the distance functions (<c>cosine</c>, <c>euclidean</c>, <c>dot</c>).</summary>
public static class DistanceNames
{
    /// <summary>Parses a distance name (case-insensitive); null (omitted) is cosine.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown name.</exception>
    public static IndexDistance Parse(string? distance) => distance?.ToUpperInvariant() switch
    {
        null or "COSINE" => IndexDistance.Cosine,
        "EUCLIDEAN" => IndexDistance.Euclidean,
        "DOT" => IndexDistance.Dot,
        _ => throw new InvalidIndexArgumentException($"unknown distance \"{distance}\" (expected cosine, euclidean or dot)"),
    };

    /// <summary>The contract's name of <paramref name="distance"/>.</summary>
    public static string Format(IndexDistance distance) => distance switch
    {
        IndexDistance.Cosine => "cosine",
        IndexDistance.Euclidean => "euclidean",
        IndexDistance.Dot => "dot",
        _ => distance.ToString().ToLowerInvariant(),
    };
}
