using System.Diagnostics.CodeAnalysis;

namespace Vectord;

/// <summary>The rule for index names, the one place it is written: 1–128 characters of <c>A-Z a-z 0-9 . _ -</c>,
/// the first a letter or digit. Such a name is a safe single path segment in storage keys (never <c>.</c> or
/// <c>..</c>, no separator). The gateway checks it before it reaches any grain; the grains check it again.</summary>
public static class IndexNames
{
    /// <summary>Longest index name.</summary>
    public const int MaxLength = 128;

    /// <summary>The message for a name that breaks the rule.</summary>
    public const string InvalidMessage = "invalid index name: 1-128 characters of A-Z a-z 0-9 . _ -, the first a letter or digit";

    private static readonly NameRule Rule = new(MaxLength, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>True when <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => Rule.IsValid(name);

    /// <summary>Refuses a name that breaks the rule.</summary>
    /// <exception cref="InvalidIndexArgumentException">With <see cref="InvalidMessage"/>.</exception>
    public static void ThrowIfInvalid([NotNull] string? name)
    {
        if (!IsValid(name)) { throw new InvalidIndexArgumentException(InvalidMessage); }
    }
}
