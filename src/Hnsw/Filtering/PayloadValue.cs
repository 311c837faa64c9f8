using System.Globalization;

namespace Vectord.Hnsw.Filtering;

/// <summary>What a <see cref="PayloadValue"/> holds.</summary>
public enum PayloadValueKind
{
    /// <summary>A string, compared ordinally.</summary>
    Text = 0,
    /// <summary>A number, compared by value: <c>1</c> equals <c>1.0</c> and <c>-0</c> equals <c>0</c>.</summary>
    Number = 1,
    /// <summary>A boolean.</summary>
    Bool = 2,
}

/// <summary>
/// A string, number or boolean found in an item's metadata or named by a filter. Two values are equal only when
/// they are of the same kind: <c>"1"</c> never equals <c>1</c>, and <c>true</c> never equals <c>1</c>.
/// </summary>
public readonly record struct PayloadValue
{
    private PayloadValue(PayloadValueKind kind, string? text, double number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    /// <summary>What the value holds.</summary>
    public PayloadValueKind Kind { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="PayloadValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The number (never <c>-0</c>), or 1/0 for a boolean.</summary>
    public double Number { get; }

    /// <summary>The boolean, when <see cref="Kind"/> is <see cref="PayloadValueKind.Bool"/>.</summary>
    public bool Bool => Number != 0;

    /// <summary>A string value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static PayloadValue Of(string text) =>
        new(PayloadValueKind.Text, text ?? throw new ArgumentNullException(nameof(text)), 0);

    /// <summary>A number value; <c>-0</c> is stored as <c>0</c>.</summary>
    public static PayloadValue Of(double number) => new(PayloadValueKind.Number, null, number == 0 ? 0 : number);

    /// <summary>A boolean value.</summary>
    public static PayloadValue Of(bool boolean) => new(PayloadValueKind.Bool, null, boolean ? 1 : 0);

    /// <summary>Same kind and same value: strings ordinally, numbers by value.</summary>
    public bool Equals(PayloadValue other) =>
        Kind == other.Kind
        && (Kind == PayloadValueKind.Text ? string.Equals(Text, other.Text, StringComparison.Ordinal) : Number.Equals(other.Number));

    /// <inheritdoc/>
    public override int GetHashCode() => Kind == PayloadValueKind.Text
        ? HashCode.Combine(Kind, Text is null ? 0 : string.GetHashCode(Text, StringComparison.Ordinal))
        : HashCode.Combine(Kind, Number);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        PayloadValueKind.Text => Text ?? "",
        PayloadValueKind.Bool => Bool ? "true" : "false",
        _ => Number.ToString(CultureInfo.InvariantCulture),
    };
}
