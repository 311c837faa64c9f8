using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord.Contracts;

/// <summary>
/// Reads a JSON array of numbers into a <see cref="float"/> array without boxing, rejecting anything that is not
/// a finite single-precision number: NaN and infinity spelled as strings, and numbers such as <c>1e999</c> that
/// overflow to infinity when parsed.
/// </summary>
public sealed class FiniteFloatArrayConverter : JsonConverter<float[]>
{
    /// <inheritdoc />
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("vector must be an array of numbers");
        }

        var vector = new FloatCollector(256);
        try
        {
            while (true)
            {
                if (!reader.Read())
                {
                    throw new JsonException("vector: unexpected end of JSON");
                }
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new JsonException(string.Create(CultureInfo.InvariantCulture,
                        $"vector[{vector.Count}]: expected a number, got {Describe(reader.TokenType)}"));
                }
                // Numbers are never escaped, so a token in one segment is its own text.
                float value;
                if ((reader.HasValueSequence || !DecimalFloat.TryParse(reader.ValueSpan, out value))
                    && (!reader.TryGetSingle(out value) || !float.IsFinite(value)))
                {
                    throw new JsonException(string.Create(CultureInfo.InvariantCulture,
                        $"vector[{vector.Count}]: not a finite number (NaN, infinity and values beyond ±3.4e38 are rejected)"));
                }
                vector.Add(value);
            }
            return vector.ToArray();
        }
        finally
        {
            vector.Release();
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (float component in value)
        {
            writer.WriteNumberValue(component);
        }
        writer.WriteEndArray();
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };
}
