using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Cli.Commands;

namespace Vectord.Cli;

/// <summary>The <c>vectord</c> command tree and its one entry point, used by <c>Program</c> and by tests alike.</summary>
internal static class VectordApp
{
    /// <summary>The group of commands that only names its subcommands (<c>vectord snapshot create ...</c>).</summary>
    private const string SnapshotGroup = "snapshot";

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="context">The console and environment of this run.</param>
    /// <param name="stop">Asks the command to stop cleanly (Ctrl+C).</param>
    /// <returns>An exit code of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken stop)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("vectord");
            config.ConfigureConsole(context.Console);
            config.Settings.Registrar.RegisterInstance(context);
            config.SetExceptionHandler((exception, _) => Report(context.Console, exception, stop));
            config.AddCommand<ImportCommand>("import")
                .WithDescription("Import a vector file (JSONL, CSV, .npy, .fvecs, .bvecs, IDX; gzipped or not) into an index")
                .WithExample("import", "vectors.jsonl", "--index", "docs", "--create", "--distance", "cosine")
                .WithExample("import", "train-images-idx3-ubyte.gz", "--index", "fashion", "--create", "--distance", "euclidean")
                .WithExample("import", "vectors.npy", "--index", "docs", "--create", "--shards", "2", "--replicas", "2");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Export an index's items to a JSONL file")
                .WithExample("export", "--index", "docs", "--out", "docs.jsonl", "--vectors");
            config.AddCommand<IndexesCommand>("indexes")
                .WithDescription("List the indexes: name, dimension, distance, shards, replicas and items");
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Show an index's parameters, size, and each copy of each shard")
                .WithExample("info", "docs");
            config.AddCommand<TextFieldsCommand>("text-fields")
                .WithDescription("Make more metadata fields of an index searchable by words (search --text)")
                .WithExample("text-fields", "docs", "title", "body:english");
            config.AddCommand<SearchCommand>("search")
                .WithDescription("Search an index for the items nearest to a vector or to a stored item")
                .WithExample("search", "docs", "--vector", "[1,0,0]", "-k", "5")
                .WithExample("search", "docs", "--id", "a", "--consistency", "primary")
                .WithExample("search", "docs", "--id", "a", "--filter", "{\"must\":[{\"key\":\"lang\",\"match\":{\"value\":\"en\"}}]}");
            config.AddBranch(SnapshotGroup, snapshot =>
            {
                snapshot.SetDescription("Take, list, download, restore and delete snapshots of an index");
                snapshot.AddCommand<SnapshotCreateCommand>("create")
                    .WithDescription("Take a snapshot of an index, kept in the service's storage")
                    .WithExample("snapshot", "create", "docs");
                snapshot.AddCommand<SnapshotListCommand>("list")
                    .WithDescription("List an index's snapshots, newest first")
                    .WithExample("snapshot", "list", "docs");
                snapshot.AddCommand<SnapshotDownloadCommand>("download")
                    .WithDescription("Download a snapshot file, checked against its SHA-256")
                    .WithExample("snapshot", "download", "docs", "docs-20261203T070000000Z-1a2b3c4d.snapshot", "--out", "docs.snapshot");
                snapshot.AddCommand<SnapshotRestoreCommand>("restore")
                    .WithDescription("Create an index from a snapshot file")
                    .WithExample("snapshot", "restore", "docs.snapshot", "--index", "docs-copy", "--shards", "4");
                snapshot.AddCommand<SnapshotDeleteCommand>("delete")
                    .WithDescription("Delete a snapshot")
                    .WithExample("snapshot", "delete", "docs", "docs-20261203T070000000Z-1a2b3c4d.snapshot");
            });
        });
        int exit = await app.RunAsync(args, stop).ConfigureAwait(false);
        // Without a command (or a snapshot subcommand) the parser shows the help: unless asked for, a usage error.
        if (NamesNoCommand(args) && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            context.Console.MarkupLine("[red]error:[/] no command given; the commands are listed above.");
            return ExitCodes.Usage;
        }
        return exit;
    }

    /// <summary>Whether <paramref name="args"/> stop before naming a command to run: nothing, or only a group of
    /// commands (<c>snapshot</c>), and at most options.</summary>
    private static bool NamesNoCommand(IReadOnlyList<string> args)
    {
        string[] words = [.. args.Where(a => !a.StartsWith('-'))];
        return words.Length == 0 || (words.Length == 1 && words[0] == SnapshotGroup);
    }

    /// <summary>Reports a failure the commands did not handle: a command line that does not parse or validate is a
    /// usage error (2); a stop request that cut a call short, or anything else, is a failure (1).</summary>
    private static int Report(IAnsiConsole console, Exception exception, CancellationToken stop)
    {
        if (exception is OperationCanceledException && stop.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]interrupted[/]");
            return ExitCodes.Failure;
        }
        if (exception is CommandAppException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            console.MarkupLine("Run [bold]vectord --help[/] (or [bold]vectord COMMAND --help[/]) for usage.");
            return ExitCodes.Usage;
        }
        console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
        return ExitCodes.Failure;
    }
}
