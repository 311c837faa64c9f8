namespace Vectord.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Something failed: the service answered an error, a file could not be read, bad rows under
    /// <c>--strict</c>, or the run was interrupted.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or invalid value.</summary>
    public const int Usage = 2;
}
