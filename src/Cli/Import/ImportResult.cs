namespace Vectord.Cli.Import;

/// <summary>A bad row: its line or row number in the file and what is wrong with it.</summary>
internal readonly record struct RowError(long Number, string Message);

/// <summary>How an import ended.</summary>
internal enum ImportEnd
{
    /// <summary>Every row was read; bad rows, if any, were skipped.</summary>
    Completed,

    /// <summary>Stopped on request (Ctrl+C) after the batches in flight.</summary>
    Interrupted,

    /// <summary>Stopped at the first bad row (<c>--strict</c>).</summary>
    StoppedAtBadRow,
}

/// <summary>The outcome of an import.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Stored">Items stored.</param>
/// <param name="Skipped">Items skipped as already present.</param>
/// <param name="Rejected">Bad rows.</param>
/// <param name="FirstErrors">The first bad rows, in file order.</param>
/// <param name="Seconds">Time from the first row read to the last batch answered.</param>
internal sealed record ImportResult(ImportEnd End, long Stored, long Skipped, long Rejected, IReadOnlyList<RowError> FirstErrors, double Seconds)
{
    /// <summary>Items stored per second.</summary>
    public double Rate => Seconds > 0 ? Stored / Seconds : 0;
}
