using System.Diagnostics.CodeAnalysis;

namespace Vectord;

/// <summary>The rule for the names of named vectors, the one place it is written: 1–64 characters of
/// <c>A-Z a-z 0-9 _ -</c>, the first a letter or digit.</summary>
public static class VectorNames
{
    /// <summary>Longest name.</summary>
    public const int MaxLength = 64;

    /// <summary>The message for a name that breaks the rule.</summary>
    public const string InvalidMessage = "a vector name is 1-64 characters of A-Z a-z 0-9 _ -, the first a letter or digit";

    private static readonly NameRule Rule = new(MaxLength, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>True when <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => Rule.IsValid(name);
}
