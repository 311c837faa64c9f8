using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Vectord.Contracts;

/// <summary>
/// Reads the array of a batch (add's <c>items</c>, delete's <c>ids</c>, the searches of a batch of searches) and
/// refuses it as soon as it holds more entries than one call may carry (<paramref name="max"/>, by default
/// <see cref="ItemLimits.MaxBatchItems"/>), instead of materialising the rest.
/// </summary>
/// <typeparam name="T">The entry type.</typeparam>
public abstract class BatchArrayConverter<T>(string field, int max = ItemLimits.MaxBatchItems) : JsonConverter<T[]>
{
    /// <inheritdoc />
    public override T[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"{field} must be an array");
        }
        var entry = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var entries = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (entries.Count == max)
            {
                throw new InvalidIndexArgumentException($"{field}: more than {max} in one call (split the batch)");
            }
            entries.Add(JsonSerializer.Deserialize(ref reader, entry)!);
        }
        return [.. entries];
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var entry = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, entry);
        }
        writer.WriteEndArray();
    }
}

/// <summary>Add's <c>items</c>, bounded.</summary>
public sealed class AddItemsConverter() : BatchArrayConverter<AddItem?>("items");

/// <summary>Delete's <c>ids</c>, bounded.</summary>
public sealed class DeleteIdsConverter() : BatchArrayConverter<string?>("ids");

/// <summary>The searches of a batch of searches, bounded by <see cref="SearchQuery.MaxBatch"/>.</summary>
public sealed class SearchesConverter() : BatchArrayConverter<SearchRequest?>("searches", SearchQuery.MaxBatch);
