using System.Globalization;

namespace Vectord;

/// <summary>What a <see cref="FilterValue"/> holds.</summary>
public enum FilterValueKind
{
    /// <summary>A string, compared ordinally.</summary>
    Text = 0,
    /// <summary>An integer, equal to any number of the same value (<c>1</c> equals <c>1.0</c>).</summary>
    Number = 1,
    /// <summary>A boolean.</summary>
    Boolean = 2,
}

/// <summary>A value a match condition compares with: a string, an integer or a boolean. Converts implicitly from
/// each, so <c>Where.Match("label", 3)</c>, <c>Where.Match("tag", "red")</c> and <c>Where.Match("ok", true)</c> read
/// as they should.</summary>
[GenerateSerializer, Immutable, Alias("vectord.FilterValue")]
public readonly record struct FilterValue
{
    private FilterValue(FilterValueKind kind, string? text, long number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    /// <summary>What the value holds.</summary>
    [Id(0)] public FilterValueKind Kind { get; init; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="FilterValueKind.Text"/>.</summary>
    [Id(1)] public string? Text { get; init; }

    /// <summary>The integer, or 1/0 for a boolean.</summary>
    [Id(2)] public long Number { get; init; }

    /// <summary>The boolean, when <see cref="Kind"/> is <see cref="FilterValueKind.Boolean"/>.</summary>
    public bool Boolean => Number != 0;

    /// <summary>A string value.</summary>
    public static FilterValue Of(string text) => new(FilterValueKind.Text, text ?? throw new ArgumentNullException(nameof(text)), 0);

    /// <summary>An integer value.</summary>
    public static FilterValue Of(long number) => new(FilterValueKind.Number, null, number);

    /// <summary>A boolean value.</summary>
    public static FilterValue Of(bool boolean) => new(FilterValueKind.Boolean, null, boolean ? 1 : 0);

    /// <summary>A string value.</summary>
    public static implicit operator FilterValue(string text) => Of(text);

    /// <summary>An integer value.</summary>
    public static implicit operator FilterValue(long number) => Of(number);

    /// <summary>A boolean value.</summary>
    public static implicit operator FilterValue(bool boolean) => Of(boolean);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        FilterValueKind.Text => Text ?? "",
        FilterValueKind.Boolean => Boolean ? "true" : "false",
        _ => Number.ToString(CultureInfo.InvariantCulture),
    };
}
