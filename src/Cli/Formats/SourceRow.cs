namespace Vectord.Cli.Formats;

/// <summary>One row of a file: the item it holds, or what is wrong with it. <see cref="Number"/> is the line
/// (text formats, from 1) or the row (binary formats, from 0, the row's id) the reader calls it by.</summary>
internal readonly record struct SourceRow(long Number, IndexItem? Item, string? Error)
{
    /// <summary>A good row.</summary>
    public static SourceRow Good(long number, IndexItem item) => new(number, item, null);

    /// <summary>A row that cannot be imported, with the reason.</summary>
    public static SourceRow Bad(long number, string error) => new(number, null, error);
}
