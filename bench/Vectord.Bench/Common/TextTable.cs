namespace Vectord.Bench.Common;

/// <summary>A plain-text table: a header, then rows, columns padded to their widest cell. Rows can be written one
/// at a time as they are measured (<see cref="WriteRow"/>) when the column widths are fixed up front.</summary>
internal sealed class TextTable(params TextTable.Column[] columns)
{
    /// <summary>One column: its header, its minimum width and whether cells are right-aligned (numbers).</summary>
    internal readonly record struct Column(string Header, int Width, bool RightAligned = true);

    private readonly Column[] _columns = [.. columns.Select(c => c with { Width = Math.Max(c.Width, c.Header.Length) })];

    public void WriteHeader(TextWriter writer)
    {
        writer.WriteLine(Format(_columns.Select(c => c.Header).ToArray()));
        writer.WriteLine(string.Join("  ", _columns.Select(c => new string('-', c.Width))));
    }

    public void WriteRow(TextWriter writer, params string[] cells)
    {
        writer.WriteLine(Format(cells));
        writer.Flush();
    }

    private string Format(string[] cells)
    {
        if (cells.Length != _columns.Length)
        {
            throw new ArgumentException($"expected {_columns.Length} cells, got {cells.Length}", nameof(cells));
        }
        return string.Join("  ", cells.Select((cell, i) =>
            _columns[i].RightAligned ? cell.PadLeft(_columns[i].Width) : cell.PadRight(_columns[i].Width))).TrimEnd();
    }
}
