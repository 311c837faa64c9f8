namespace Vectord.Contracts;

/// <summary>The contract's names of the quantizations (<c>none</c>, <c>int8</c>).</summary>
public static class QuantizationNames
{
    /// <summary>Parses a quantization name (case-insensitive); null (omitted) is none.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown name.</exception>
    public static IndexQuantization Parse(string? quantization) => quantization?.ToUpperInvariant() switch
    {
        null or "NONE" => IndexQuantization.None,
        "INT8" => IndexQuantization.Int8,
        _ => throw new InvalidIndexArgumentException($"quantization: unknown value \"{quantization}\" (expected none or int8)"),
    };

    /// <summary>The contract's name of <paramref name="quantization"/>.</summary>
    public static string Format(IndexQuantization quantization) => quantization switch
    {
        IndexQuantization.None => "none",
        IndexQuantization.Int8 => "int8",
        _ => quantization.ToString().ToLowerInvariant(),
    };
}
