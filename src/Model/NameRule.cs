using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Vectord;

/// <summary>The shape the names of the contract share (<see cref="IndexNames"/>, <see cref="VectorNames"/>): 1 to
/// <paramref name="maxLength"/> characters among <paramref name="allowed"/>, the first an ASCII letter or digit.</summary>
internal sealed class NameRule(int maxLength, string allowed)
{
    private readonly SearchValues<char> _allowed = SearchValues.Create(allowed);

    /// <summary>True when <paramref name="name"/> has the shape.</summary>
    public bool IsValid([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 } && name.Length <= maxLength && char.IsAsciiLetterOrDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(_allowed);
}
