namespace Vectord.Gateway.Infrastructure;

/// <summary>Resolves index grains by name for the handlers.</summary>
internal static class IndexGrains
{
    /// <summary>
    /// The index grain named <paramref name="name"/>. Orleans refuses an empty or all-whitespace key before any
    /// grain could judge it, so such a name is answered here with the grain's own wording (400).
    /// </summary>
    public static IVectorIndexGrain Index(this IGrainFactory grains, string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new InvalidIndexArgumentException(
                "invalid index name: 1-128 characters of A-Z a-z 0-9 . _ -, the first a letter or digit")
            : grains.GetGrain<IVectorIndexGrain>(name);
}
