using System.Buffers;
using System.Text.Json;

namespace Vectord.Bench.Service;

/// <summary>Request bodies of the HTTP contract (snake_case JSON), written directly with <see cref="Utf8JsonWriter"/>.</summary>
internal static class HttpBodies
{
    public static byte[] CreateIndex(string name, IndexSpec spec) => Write(w =>
    {
        w.WriteString("name", name);
        w.WriteNumber("dimension", spec.Dimension);
        w.WriteNumber("m", spec.M);
        w.WriteString("distance", spec.Distance.ToString().ToLowerInvariant());
    });

    public static byte[] Add(IReadOnlyList<IndexItem> items) => Write(w =>
    {
        w.WriteStartArray("items");
        foreach (var item in items)
        {
            w.WriteStartObject();
            w.WriteString("id", item.Id);
            WriteVector(w, item.Vector);
            if (item.Metadata?.ToString() is { } metadata)
            {
                w.WritePropertyName("metadata");
                w.WriteRawValue(metadata);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static byte[] Search(float[] vector, int k, int ef) => Write(w =>
    {
        WriteVector(w, vector);
        w.WriteNumber("k", k);
        w.WriteNumber("ef", ef);
    });

    /// <summary>A <c>search/batch</c> body: one search per vector, each with <paramref name="k"/>, <paramref name="ef"/>
    /// (omitted when 0: the index's default) and its filter (omitted when null).</summary>
    public static byte[] SearchBatch(IReadOnlyList<float[]> vectors, IReadOnlyList<ItemFilter?> filters, int k, int ef) => Write(w =>
    {
        w.WriteStartArray("searches");
        for (var i = 0; i < vectors.Count; i++)
        {
            w.WriteStartObject();
            WriteVector(w, vectors[i]);
            w.WriteNumber("k", k);
            if (ef > 0)
            {
                w.WriteNumber("ef", ef);
            }
            if (filters[i] is { } filter)
            {
                w.WritePropertyName("filter");
                FilterJson.Write(w, filter);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>The ids of each list of the <c>results</c> array of a <c>search/batch</c> answer.</summary>
    public static string[][] BatchResultIds(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("results").EnumerateArray()
            .Select(list => list.EnumerateArray().Select(hit => hit.GetProperty("id").GetString() ?? "").ToArray())];
    }

    /// <summary>The number of entries of the <c>results</c> array of a search answer.</summary>
    public static int CountResults(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("results"u8))
            {
                reader.Read();
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count++;
                    reader.Skip();
                }
                return count;
            }
        }
        return -1;
    }

    private static void WriteVector(Utf8JsonWriter w, float[] vector)
    {
        w.WriteStartArray("vector");
        foreach (var x in vector)
        {
            w.WriteNumberValue(x);
        }
        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
