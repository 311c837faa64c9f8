namespace Vectord.Contracts;

/// <summary>The contract's names of the fusions of a hybrid search (<c>rrf</c>, <c>weighted</c>).</summary>
public static class FusionNames
{
    /// <summary>Parses a fusion name (case-insensitive); null (omitted) is <c>rrf</c>.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown name; <paramref name="path"/> names the field.</exception>
    public static FusionKind Parse(string? fusion, string path = "fusion") => fusion?.ToUpperInvariant() switch
    {
        null or "RRF" => FusionKind.Rrf,
        "WEIGHTED" => FusionKind.Weighted,
        _ => throw new InvalidIndexArgumentException($"{path}: unknown value \"{fusion}\" (expected rrf or weighted)"),
    };

    /// <summary>The contract's name of <paramref name="fusion"/>; null for the default (<c>rrf</c>).</summary>
    public static string? Format(FusionKind fusion) => fusion switch
    {
        FusionKind.Rrf => null,
        FusionKind.Weighted => "weighted",
        _ => fusion.ToString().ToLowerInvariant(),
    };
}
