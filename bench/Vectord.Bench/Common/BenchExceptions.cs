namespace Vectord.Bench.Common;

/// <summary>The command line is wrong; the mode's usage is printed after the message.</summary>
internal sealed class UsageException : Exception
{
    public UsageException() { }
    public UsageException(string message) : base(message) { }
    public UsageException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The run cannot go on for a reason the user can fix (missing data set, unreadable file, ...).</summary>
internal sealed class BenchException : Exception
{
    public BenchException() { }
    public BenchException(string message) : base(message) { }
    public BenchException(string message, Exception inner) : base(message, inner) { }
}
