using Spectre.Console.Testing;
using Vectord.Client;
using Vectord.Gateway.Tests;
using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.Cli.Tests.NodeFixture))]

namespace Vectord.Cli.Tests;

/// <summary>One co-hosted node (silo + HTTP API, auth off) shared by the tests of this assembly; every test uses
/// its own index names.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vectord-cli");

    /// <summary>The running node.</summary>
    public VectordServer Server { get; private set; } = null!;

    /// <summary>A typed client of the node, to set up and check what the commands did.</summary>
    public VectordClient Client { get; private set; } = null!;

    /// <summary>The node's address, as given to <c>--url</c>.</summary>
    public string Url => Server.BaseAddress.ToString();

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Server = await VectordServer.StartAsync(_data.Path);
        Client = new VectordClient(Server.Client);
    }

    /// <summary>Runs <c>vectord ARGS --url (this node)</c> through the tool's entry point, on a test console.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync([.. args, "--url", Url]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        _data.Dispose();
    }
}

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
