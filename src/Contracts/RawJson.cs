using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord.Contracts;

/// <summary>
/// A JSON value kept as its exact source text (item metadata). A property of this type that is absent from a
/// request stays null, while an explicit JSON <c>null</c> becomes the text <c>null</c>: "no metadata" and
/// "metadata that is JSON null" remain different things.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    /// <summary>Wraps JSON text that is already known to be one valid JSON value.</summary>
    public RawJson(string text) => Text = text;

    /// <summary>The value's JSON text, byte for byte as it was received.</summary>
    public string Text { get; }

    /// <summary>Wraps stored metadata text, or returns null when there is none.</summary>
    public static RawJson? FromStored(string? text) => text is null ? null : new RawJson(text);
}

/// <summary>Reads any JSON value as its raw text and writes it back unchanged.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The serializer hands a converter the whole value already buffered, so parsing it here is one pass over
        // its bytes; GetRawText returns the original text of the value, not a re-serialisation.
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteRawValue(value.Text);
    }
}
