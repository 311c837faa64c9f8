using System.Text;

namespace Vectord.Cli.Formats;

/// <summary>One line of text: its content, or null when it is longer than <see cref="LineReader.MaxChars"/>
/// (<see cref="Length"/> says how long); <see cref="Terminated"/> is false for a last line the text ends inside.</summary>
internal readonly record struct TextLine(string? Content, long Length, bool Terminated);

/// <summary>
/// Splits text into lines (<c>\n</c>, an <c>\r</c> before it dropped) holding at most <see cref="MaxChars"/> of one
/// line in memory: a longer line is read through to its end but not kept, so a file of one endless line takes no
/// more memory than that.
/// </summary>
internal sealed class LineReader(TextReader text)
{
    /// <summary>Most characters a row of a text format may have: 8 Mi, room for a vector of 65,536 components (the
    /// largest dimension an index has) at over 100 characters each, with the largest metadata and id an item may
    /// carry. A longer row is a bad row, never read whole.</summary>
    public const int MaxChars = 8 << 20;

    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;

    /// <summary>Reads the next line; false at the end of the text.</summary>
    public bool TryRead(out TextLine line)
    {
        _line.Clear();
        long length = 0;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = text.Read(_buffer);
                if (_end == 0)
                {
                    line = Finish(length, terminated: false);
                    return length > 0;
                }
            }
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf('\n');
            var part = newline < 0 ? available : available[..newline];
            length += part.Length;
            if (length <= MaxChars)
            {
                _line.Append(part);
            }
            _start += newline < 0 ? part.Length : newline + 1;
            if (newline >= 0)
            {
                line = Finish(length, terminated: true);
                return true;
            }
        }
    }

    private TextLine Finish(long length, bool terminated)
    {
        if (length > MaxChars)
        {
            _line.Clear();
            return new TextLine(null, length, terminated);
        }
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }
        return new TextLine(_line.ToString(), length, terminated);
    }
}
