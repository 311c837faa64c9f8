using System.Text;

namespace Vectord.Cli.Formats;

/// <summary>One CSV record: its cells (none when it is longer than <see cref="LineReader.MaxChars"/>, then
/// <see cref="Chars"/> says how long), the line it starts on, and whether a line break ends it.</summary>
internal readonly record struct CsvRecord(List<string> Cells, long Line, long Chars, bool Terminated)
{
    /// <summary>Whether the record was too long to keep.</summary>
    public bool TooLong => Chars > LineReader.MaxChars;
}

/// <summary>Splits CSV text into records of cells (RFC 4180), keeping the line each record starts on and at most
/// <see cref="LineReader.MaxChars"/> characters of one record in memory.</summary>
internal sealed class CsvRecords(TextReader text)
{
    private long _line = 1;

    /// <summary>Reads the next record; false at the end of the text.</summary>
    /// <exception cref="InvalidDataException">A quoted cell is never closed.</exception>
    public bool TryRead(out CsvRecord record)
    {
        List<string> cells = [];
        var line = _line;
        record = default;
        if (text.Peek() < 0)
        {
            return false;
        }
        var cell = new StringBuilder();
        var quoted = false;
        long chars = 0;
        long cellStart = 0;
        void Append(char c)
        {
            if (++chars <= LineReader.MaxChars)
            {
                cell.Append(c);
            }
        }
        void EndCell()
        {
            if (chars <= LineReader.MaxChars)
            {
                cells.Add(cell.ToString());
            }
            cell.Clear();
            cellStart = chars;
        }
        while (true)
        {
            var c = text.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    throw new InvalidDataException($"line {line}: a quoted cell is never closed");
                }
                if (c == '"')
                {
                    if (text.Peek() == '"')
                    {
                        text.Read();
                        Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                    continue;
                }
                if (c == '\n')
                {
                    _line++;
                }
                Append((char)c);
                continue;
            }
            switch (c)
            {
                case '"' when chars == cellStart:
                    quoted = true;
                    break;
                case ',':
                    chars++;
                    EndCell();
                    break;
                case '\r' when text.Peek() == '\n':
                    break;
                case '\n' or -1:
                    EndCell();
                    _line++;
                    record = new CsvRecord(chars > LineReader.MaxChars ? [] : cells, line, chars, c == '\n');
                    return true;
                default:
                    Append((char)c);
                    break;
            }
        }
    }
}
