using Spectre.Console.Testing;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>One run of the tool: its exit code and everything it wrote.</summary>
public sealed record CliRun(int Exit, string Output)
{
    /// <summary>Runs the tool's entry point with <paramref name="args"/> on a wide, non-interactive test console
    /// whose environment holds only <paramref name="environment"/>.</summary>
    public static Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(new TestConsole().Width(250), args, environment, TestContext.Current.CancellationToken);

    /// <summary>Runs the tool's entry point on <paramref name="console"/>; <paramref name="stop"/> is its Ctrl+C.</summary>
    public static async Task<CliRun> RunAsync(TestConsole console, string[] args, IReadOnlyDictionary<string, string>? environment,
        CancellationToken stop)
    {
        var context = new CliContext(console, name => environment?.GetValueOrDefault(name));
        var exit = await VectordApp.RunAsync(args, context, stop);
        return new CliRun(exit, console.Output);
    }

    /// <inheritdoc />
    public override string ToString() => $"exit {Exit}\n{Output}";
}

/// <summary>The tool pointed at the shared node.</summary>
public static class NodeCli
{
    extension(NodeFixture node)
    {
        /// <summary>The node's address, as given to <c>--url</c>.</summary>
        public string Url => node.Server.BaseAddress.ToString();

        /// <summary>Runs <c>vectord ARGS --url (this node)</c> through the tool's entry point, on a test console.</summary>
        public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync([.. args, "--url", node.Url]);
    }
}
