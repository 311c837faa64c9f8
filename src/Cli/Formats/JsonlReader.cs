using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads JSON Lines: one object per line with an id (a string or a number), a vector (an array of numbers) and
/// metadata: the <c>metadata</c> field when the line has one (the export format), otherwise the line's other fields
/// as one object, otherwise none. Blank lines are skipped; a line that is not such an object is a bad row.
/// </summary>
internal sealed class JsonlReader(FileStream file, FieldNames fields) : VectorFileReader(file)
{
    /// <inheritdoc />
    public override string RowKind => "line";

    /// <inheritdoc />
    public override IEnumerable<SourceRow> ReadRows()
    {
        using var text = new StreamReader(Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var lines = new LineReader(text);
        long number = 0;
        while (lines.TryRead(out var line))
        {
            number++;
            if (line.Content is not { } content)
            {
                yield return SourceRow.Bad(number, string.Create(CultureInfo.InvariantCulture,
                    $"the line is {line.Length} characters long (at most {LineReader.MaxChars})"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }
            yield return Parse(number, content, line.Terminated);
        }
    }

    /// <summary>The row a line holds; a last line the file ends inside (<paramref name="terminated"/> false) that is
    /// not JSON means the file was cut short.</summary>
    /// <exception cref="InvalidDataException">The file ends inside a line.</exception>
    private SourceRow Parse(long line, string content, bool terminated)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e) when (terminated)
        {
            return SourceRow.Bad(line, $"not JSON: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"truncated: the file ends inside line {line}, which is not whole JSON ({e.Message})"), e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SourceRow.Bad(line, $"a {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }
            if (!root.TryGetProperty(fields.Id, out var idElement))
            {
                return SourceRow.Bad(line, $"no \"{fields.Id}\" field");
            }
            var id = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            };
            if (id is null)
            {
                return SourceRow.Bad(line, $"\"{fields.Id}\" is a {idElement.ValueKind.ToString().ToLowerInvariant()}, not a string or number");
            }
            if (!root.TryGetProperty(fields.Vector, out var vectorElement))
            {
                return SourceRow.Bad(line, $"no \"{fields.Vector}\" field");
            }
            if (ReadVector(vectorElement) is not { } vector)
            {
                return SourceRow.Bad(line, $"\"{fields.Vector}\" is not an array of numbers");
            }
            return SourceRow.Good(line, new IndexItem(id, vector, Metadata(root)));
        }
    }

    private static float[]? ReadVector(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var vector = new float[element.GetArrayLength()];
        var i = 0;
        foreach (var x in element.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number)
            {
                return null;
            }
            // A number beyond float's range reads as infinity: the row is then refused as bad (SourceRow.Good).
            vector[i++] = float.Parse(x.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return vector;
    }

    private string? Metadata(JsonElement root)
    {
        if (root.TryGetProperty(FieldNames.Metadata, out var metadata))
        {
            return metadata.GetRawText();
        }
        var buffer = new ArrayBufferWriter<byte>();
        var any = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals(fields.Id) || property.NameEquals(fields.Vector))
                {
                    continue;
                }
                property.WriteTo(writer);
                any = true;
            }
            writer.WriteEndObject();
        }
        return any ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
    }
}
