using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord.Contracts;

/// <summary>The contract's names of the text languages (<c>none</c>, <c>english</c>), and the text fields of a
/// create body in the grain contract's terms.</summary>
public static class TextFieldNames
{
    /// <summary>Parses a language name (case-insensitive); null (omitted) is none.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown name.</exception>
    public static IndexTextLanguage Parse(string? language, string path) => language?.ToUpperInvariant() switch
    {
        null or "NONE" => IndexTextLanguage.None,
        "ENGLISH" => IndexTextLanguage.English,
        _ => throw new InvalidIndexArgumentException($"{path}.language: unknown value \"{language}\" (expected none or english)"),
    };

    /// <summary>The contract's name of <paramref name="language"/>.</summary>
    public static string Format(IndexTextLanguage language) => language switch
    {
        IndexTextLanguage.None => "none",
        IndexTextLanguage.English => "english",
        _ => language.ToString().ToLowerInvariant(),
    };

    /// <summary>The grain contract's text fields of a create body's <c>text_fields</c>; null when absent.</summary>
    /// <exception cref="InvalidIndexArgumentException">A field without a key, or an unknown language.</exception>
    public static IndexTextField[]? ToSpec(TextFieldSpec?[]? fields)
    {
        if (fields is null) { return null; }
        var spec = new IndexTextField[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            string at = $"text_fields[{i}]";
            var field = fields[i] ?? throw new InvalidIndexArgumentException($"{at}: must be a key or an object with key");
            spec[i] = new IndexTextField(field.Key ?? throw new InvalidIndexArgumentException($"{at}.key: is required"), Parse(field.Language, at));
        }
        return spec;
    }

    /// <summary>The contract's form of an index's text fields; null when it has none.</summary>
    public static TextFieldSpec[]? FromSpec(IndexTextField[]? fields) =>
        fields is { Length: > 0 } ? [.. fields.Select(f => new TextFieldSpec(f.Path, Format(f.Language)))] : null;
}

/// <summary>A text field of a create body: the key alone (<c>"body"</c>) or <c>{"key": "body", "language": "english"}</c>.</summary>
/// <param name="Key">The field's dotted path in the items' metadata.</param>
/// <param name="Language"><c>none</c> (default: words lowercased) or <c>english</c> (stop words dropped, words stemmed).</param>
[JsonConverter(typeof(TextFieldSpecConverter))]
public sealed record TextFieldSpec(string? Key, string? Language = null);

/// <summary>BM25's parameters of an index.</summary>
/// <param name="K1">Term-frequency saturation, ≥ 0; omitted = 1.2.</param>
/// <param name="B">Length normalisation, 0–1; omitted = 0.75.</param>
public sealed record Bm25Params(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? K1 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? B = null);

/// <summary>Reads a text field written as its key or as an object; writes the object.</summary>
public sealed class TextFieldSpecConverter : JsonConverter<TextFieldSpec>
{
    /// <inheritdoc />
    public override TextFieldSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) { return new TextFieldSpec(reader.GetString()); }
        if (reader.TokenType != JsonTokenType.StartObject) { throw new JsonException("a text field must be a key or an object with key"); }
        string? key = null, language = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            string? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw new JsonException($"a text field's {name} must be a string"),
            };
            switch (name)
            {
                case "key": key = value; break;
                case "language": language = value; break;
                default: throw new JsonException($"a text field has no property \"{name}\" (expected key, language)");
            }
        }
        return new TextFieldSpec(key, language);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TextFieldSpec value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteString("language", value.Language ?? "none");
        writer.WriteEndObject();
    }
}
