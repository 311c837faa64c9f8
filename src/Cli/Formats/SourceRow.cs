using System.Globalization;

namespace Vectord.Cli.Formats;

/// <summary>One row of a file: the item it holds, or what is wrong with it. <see cref="Number"/> is the line
/// (text formats, from 1) or the row (binary formats, from 0, the row's id) the reader calls it by.</summary>
internal readonly record struct SourceRow(long Number, IndexItem? Item, string? Error)
{
    /// <summary>The row holding <paramref name="item"/>; a bad row when a component is NaN or infinite (as a number
    /// beyond float32's range reads), which JSON cannot carry to the service.</summary>
    public static SourceRow Good(long number, IndexItem item)
    {
        var vector = item.Vector;
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return Bad(number, string.Create(CultureInfo.InvariantCulture, $"component {i} is {vector[i]}: not a finite float32"));
            }
        }
        return new(number, item, null);
    }

    /// <summary>A row that cannot be imported, with the reason.</summary>
    public static SourceRow Bad(long number, string error) => new(number, null, error);
}
