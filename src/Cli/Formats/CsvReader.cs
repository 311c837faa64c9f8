using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads CSV (RFC 4180: comma-separated, quoted fields with <c>""</c> escapes, a header line). The id column is
/// named by <see cref="FieldNames.Id"/>. The vector is the column named <see cref="FieldNames.Vector"/> (a JSON array,
/// or numbers separated by spaces or semicolons), or else the columns named that followed by a number
/// (<c>vector0, vector1, ...</c>, in the numbers' order). Every other column is metadata: a number, <c>true</c> or
/// <c>false</c> as such, any other text as a string, an empty cell left out.
/// </summary>
internal sealed class CsvReader(FileStream file, FieldNames fields) : VectorFileReader(file)
{
    private static readonly char[] NumberSeparators = [' ', ';', '\t'];

    /// <inheritdoc />
    public override string RowKind => "line";

    /// <inheritdoc />
    public override IEnumerable<SourceRow> ReadRows()
    {
        using var text = new StreamReader(Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var records = new CsvRecords(text);
        if (!records.TryRead(out var header) || header.TooLong)
        {
            throw new InvalidDataException(header.TooLong
                ? $"the CSV header is {header.Chars} characters long (at most {LineReader.MaxChars})"
                : "empty CSV file: a header line is expected");
        }
        var layout = Layout.Of(header.Cells, fields);
        while (records.TryRead(out var record))
        {
            if (record.TooLong)
            {
                yield return SourceRow.Bad(record.Line, string.Create(CultureInfo.InvariantCulture,
                    $"the record is {record.Chars} characters long (at most {LineReader.MaxChars})"));
                continue;
            }
            if (record.Cells.Count == 1 && record.Cells[0].Length == 0)
            {
                continue;
            }
            if (!record.Terminated && record.Cells.Count < header.Cells.Count)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"truncated: the file ends inside line {record.Line}, after {record.Cells.Count} of its {header.Cells.Count} cells"));
            }
            yield return layout.Parse(record.Line, record.Cells);
        }
    }

    /// <summary>Which columns hold the id, the vector and the metadata.</summary>
    private sealed record Layout(List<string> Header, int Id, int[] Vector, bool VectorInOneCell, int[] Metadata)
    {
        public static Layout Of(List<string> header, FieldNames fields)
        {
            var id = header.IndexOf(fields.Id);
            if (id < 0)
            {
                throw new InvalidDataException($"the CSV header has no \"{fields.Id}\" column (choose one with --id-field)");
            }
            var whole = header.IndexOf(fields.Vector);
            int[] vector;
            if (whole >= 0)
            {
                vector = [whole];
            }
            else
            {
                vector = [.. header
                    .Select((name, column) => (column, suffix: name.StartsWith(fields.Vector, StringComparison.Ordinal) ? name[fields.Vector.Length..] : ""))
                    .Where(c => c.suffix.Length > 0 && c.suffix.All(char.IsAsciiDigit))
                    .OrderBy(c => int.Parse(c.suffix, CultureInfo.InvariantCulture))
                    .Select(c => c.column)];
                if (vector.Length == 0)
                {
                    throw new InvalidDataException(
                        $"the CSV header has no \"{fields.Vector}\" column nor \"{fields.Vector}0\", \"{fields.Vector}1\", ... columns (choose with --vector-field)");
                }
            }
            int[] metadata = [.. Enumerable.Range(0, header.Count).Where(c => c != id && !vector.Contains(c))];
            return new Layout(header, id, vector, whole >= 0, metadata);
        }

        public SourceRow Parse(long line, List<string> cells)
        {
            if (cells.Count != Header.Count)
            {
                return SourceRow.Bad(line, $"{cells.Count} cells, the header has {Header.Count}");
            }
            var id = cells[Id];
            if (id.Length == 0)
            {
                return SourceRow.Bad(line, $"empty \"{Header[Id]}\"");
            }
            var vector = VectorInOneCell ? ParseVectorCell(cells[Vector[0]]) : ParseVectorColumns(cells);
            if (vector is null)
            {
                return SourceRow.Bad(line, VectorInOneCell
                    ? $"\"{Header[Vector[0]]}\" is not a list of numbers"
                    : "a vector column is not a number");
            }
            return SourceRow.Good(line, new IndexItem(id, vector, MetadataOf(cells)));
        }

        private float[]? ParseVectorColumns(List<string> cells)
        {
            var vector = new float[Vector.Length];
            for (var i = 0; i < Vector.Length; i++)
            {
                if (!TryParseNumber(cells[Vector[i]].Trim(), out vector[i]))
                {
                    return null;
                }
            }
            return vector;
        }

        private static float[]? ParseVectorCell(string cell)
        {
            var body = cell.Trim();
            if (body.StartsWith('[') && body.EndsWith(']'))
            {
                body = body[1..^1].Replace(',', ' ');
            }
            var parts = body.Split(NumberSeparators, StringSplitOptions.RemoveEmptyEntries);
            var vector = new float[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!TryParseNumber(parts[i], out vector[i]))
                {
                    return null;
                }
            }
            return vector;
        }

        private string? MetadataOf(List<string> cells)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var any = false;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var column in Metadata)
                {
                    var cell = cells[column];
                    if (cell.Length == 0)
                    {
                        continue;
                    }
                    any = true;
                    writer.WritePropertyName(Header[column]);
                    if (cell is "true" or "false")
                    {
                        writer.WriteBooleanValue(cell == "true");
                    }
                    else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    {
                        writer.WriteNumberValue(number);
                    }
                    else
                    {
                        writer.WriteStringValue(cell);
                    }
                }
                writer.WriteEndObject();
            }
            return any ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
        }

        private static bool TryParseNumber(string text, out float value) =>
            float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
