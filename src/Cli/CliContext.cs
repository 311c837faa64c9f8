using Spectre.Console;

namespace Vectord.Cli;

/// <summary>What a run of the tool talks to besides the service: the console it writes to and the environment
/// variables it reads (<c>VECTORD_URL</c>, <c>VECTORD_TOKEN</c>).</summary>
/// <param name="Console">Where output and progress go.</param>
/// <param name="Environment">Reads an environment variable; null when it is not set.</param>
internal sealed record CliContext(IAnsiConsole Console, Func<string, string?> Environment)
{
    /// <summary>The process's console and environment.</summary>
    public static CliContext FromProcess() => new(AnsiConsole.Console, System.Environment.GetEnvironmentVariable);
}
