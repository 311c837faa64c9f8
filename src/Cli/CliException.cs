namespace Vectord.Cli;

/// <summary>A failure the tool reports in one line and exits 1 for: the message says what went wrong.</summary>
internal sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliException() { }

    /// <summary>Creates the exception with what went wrong.</summary>
    public CliException(string message) : base(message) { }

    /// <summary>Creates the exception with what went wrong and its cause.</summary>
    public CliException(string message, Exception innerException) : base(message, innerException) { }
}
