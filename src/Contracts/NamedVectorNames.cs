using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord.Contracts;

/// <summary>One named vector in a create body and in <c>params</c>: <c>{"dimension", "distance"?, "quantization"?}</c>.</summary>
/// <param name="Dimension">Its length, 1–65536.</param>
/// <param name="Distance"><c>cosine</c> (default), <c>euclidean</c> or <c>dot</c>.</param>
/// <param name="Quantization"><c>none</c> (default) or <c>int8</c>.</param>
public sealed record VectorParams(
    int? Dimension,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Distance = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Quantization = null);

/// <summary>The named vectors of a create body (<c>"vectors": {"title": {...}, ...}</c>) in the grain contract's terms,
/// and back for <c>params</c>.</summary>
public static class NamedVectorNames
{
    /// <summary>The grain contract's named vectors of a create body's <c>vectors</c>, in order; empty for <c>{}</c> (an
    /// index without vectors).</summary>
    /// <exception cref="InvalidIndexArgumentException">A vector without a dimension, or an unknown distance or
    /// quantization (the index's own rule checks the rest).</exception>
    public static NamedVector[] ToSpec(Dictionary<string, VectorParams?> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return [.. vectors.Select(pair =>
        {
            string at = $"vectors.{pair.Key}";
            var vector = pair.Value ?? throw new InvalidIndexArgumentException($"{at}: must be an object with dimension");
            return new NamedVector(pair.Key,
                vector.Dimension ?? throw new InvalidIndexArgumentException($"{at}.dimension is required"),
                Prefixed(at, () => DistanceNames.Parse(vector.Distance)), Prefixed(at, () => QuantizationNames.Parse(vector.Quantization)));
        })];
    }

    /// <summary>The contract's form of an index's named vectors, in order; null when it has none.</summary>
    public static Dictionary<string, VectorParams?>? FromSpec(NamedVector[]? vectors) =>
        vectors is { Length: > 0 }
            ? vectors.ToDictionary(v => v.Name, VectorParams? (v) => new VectorParams(v.Dimension, DistanceNames.Format(v.Distance), QuantizationNames.Format(v.Quantization)), StringComparer.Ordinal)
            : null;

    private static T Prefixed<T>(string at, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidIndexArgumentException e)
        {
            throw new InvalidIndexArgumentException($"{at}: {e.Message}");
        }
    }
}

/// <summary>Reads an item's named vectors, <c>{"title": [..], "image": [..]}</c>, each by the rule of
/// <see cref="FiniteFloatArrayConverter"/>; writes them the same way.</summary>
public sealed class NamedVectorsConverter : JsonConverter<Dictionary<string, float[]>>
{
    private static readonly FiniteFloatArrayConverter Vector = new();

    /// <inheritdoc />
    public override Dictionary<string, float[]>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("vectors must be an object of named vectors");
        }
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            float[]? vector;
            try
            {
                vector = Vector.Read(ref reader, typeof(float[]), options);
            }
            catch (JsonException e)
            {
                throw new JsonException($"vectors.{name}: {e.Message}", e);
            }
            if (vector is null)
            {
                throw new JsonException($"vectors.{name}: must be an array of numbers");
            }
            if (!vectors.TryAdd(name, vector))
            {
                throw new JsonException($"vectors.{name}: given twice");
            }
        }
        return vectors;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, float[]> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (name, vector) in value)
        {
            writer.WritePropertyName(name);
            Vector.Write(writer, vector, options);
        }
        writer.WriteEndObject();
    }
}
