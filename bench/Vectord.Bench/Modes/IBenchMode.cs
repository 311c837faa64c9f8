using Vectord.Bench.Common;

namespace Vectord.Bench.Modes;

/// <summary>One subcommand of the bench CLI (<c>Vectord.Bench &lt;name&gt; [options]</c>).</summary>
internal interface IBenchMode
{
    /// <summary>The subcommand, e.g. <c>ann</c>.</summary>
    string Name { get; }

    /// <summary>One line for the mode list.</summary>
    string Summary { get; }

    /// <summary>The options, one per line, printed by <c>--help</c> and after a usage error.</summary>
    string Usage { get; }

    /// <summary>Runs the mode; returns the process exit code. Reads every option it supports from
    /// <paramref name="args"/> and calls <see cref="BenchArgs.EnsureAllUsed"/> before doing any work.</summary>
    Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken);
}
