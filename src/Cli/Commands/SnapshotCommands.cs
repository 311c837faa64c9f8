using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Cli.Output;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord snapshot create|list</c>: an index.</summary>
internal class SnapshotIndexSettings : ServiceSettings
{
    /// <summary>The index.</summary>
    [CommandArgument(0, "<INDEX>")]
    [Description("The index")]
    public string Index { get; init; } = "";
}

/// <summary>The command line of <c>vectord snapshot download|delete</c>: an index and one of its snapshots.</summary>
internal class SnapshotSettings : SnapshotIndexSettings
{
    /// <summary>The snapshot's name, as <c>vectord snapshot list</c> shows it.</summary>
    [CommandArgument(1, "<SNAPSHOT>")]
    [Description("The snapshot's name (see vectord snapshot list)")]
    public string Snapshot { get; init; } = "";
}

/// <summary>The command line of <c>vectord snapshot download</c>.</summary>
internal sealed class SnapshotDownloadSettings : SnapshotSettings
{
    /// <summary>The file written; default: the snapshot's name in the current directory.</summary>
    [CommandOption("--out <FILE>")]
    [Description("The file to write (default: the snapshot's name, in the current directory)")]
    public string? Out { get; init; }
}

/// <summary>The command line of <c>vectord snapshot restore</c>.</summary>
internal sealed class SnapshotRestoreSettings : ServiceSettings
{
    /// <summary>The snapshot file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("The snapshot file (from vectord snapshot download)")]
    public string File { get; init; } = "";

    /// <summary>The new index's name.</summary>
    [CommandOption("--index <NAME>", isRequired: true)]
    [Description("The name of the index to create from it (it must not exist)")]
    public string Index { get; init; } = "";

    /// <summary>Parts of the new index; 0: as many as the snapshot has.</summary>
    [CommandOption("--shards <N>")]
    [Description("Shards of the new index, 1-64 (default: as many as the snapshot has)")]
    public int Shards { get; init; }

    /// <summary>The SHA-256 the file must have.</summary>
    [CommandOption("--sha256 <HEX>")]
    [Description("Refuse the file unless its SHA-256 is this (as vectord snapshot list shows it)")]
    public string? Sha256 { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate() =>
        Shards is < 0 or > 64 ? ValidationResult.Error("--shards must be between 1 and 64")
        : Sha256 is not null && (Sha256.Length != 64 || !Sha256.All(char.IsAsciiHexDigit)) ? ValidationResult.Error("--sha256 must be 64 hexadecimal digits")
        : base.Validate();
}

/// <summary><c>vectord snapshot create INDEX</c>: takes a snapshot, kept in the service's storage.</summary>
internal sealed class SnapshotCreateCommand(CliContext context) : ServiceCommand<SnapshotIndexSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SnapshotIndexSettings settings, CancellationToken cancellationToken)
    {
        SnapshotInfo snapshot = await Console.Status().StartAsync($"snapshot of {Markup.Escape(settings.Index)}",
            _ => client.CreateSnapshotAsync(settings.Index, cancellationToken)).ConfigureAwait(false);
        Console.Write(SnapshotTable.Of([snapshot]));
        return ExitCodes.Success;
    }
}

/// <summary><c>vectord snapshot list INDEX</c>: the index's snapshots, newest first (also those of a dropped index).</summary>
internal sealed class SnapshotListCommand(CliContext context) : ServiceCommand<SnapshotIndexSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SnapshotIndexSettings settings, CancellationToken cancellationToken)
    {
        SnapshotInfo[] snapshots = await client.ListSnapshotsAsync(settings.Index, cancellationToken).ConfigureAwait(false);
        if (snapshots.Length == 0)
        {
            Console.MarkupLineInterpolated($"{settings.Index} has no snapshots");
            return ExitCodes.Success;
        }
        Console.Write(SnapshotTable.Of(snapshots));
        return ExitCodes.Success;
    }
}

/// <summary><c>vectord snapshot download INDEX SNAPSHOT [--out FILE]</c>: streams the file with a progress bar into
/// <c>FILE.partial</c>, checks its SHA-256 against the service's, then renames it to <c>FILE</c>; an interrupted or
/// damaged download leaves no <c>FILE</c>.</summary>
internal sealed class SnapshotDownloadCommand(CliContext context) : ServiceCommand<SnapshotDownloadSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SnapshotDownloadSettings settings, CancellationToken cancellationToken)
    {
        SnapshotInfo[] listed = await client.ListSnapshotsAsync(settings.Index, cancellationToken).ConfigureAwait(false);
        SnapshotInfo snapshot = listed.FirstOrDefault(s => s.Name == settings.Snapshot)
            ?? throw new SnapshotNotFoundException($"{settings.Index} has no snapshot '{settings.Snapshot}' (see vectord snapshot list {settings.Index})");
        string target = settings.Out ?? snapshot.Name;
        string partial = target + ".partial";
        long received = 0;
        try
        {
            var (transfer, seconds) = await ProgressDisplay.RunAsync(Console, $"download {snapshot.Name}", "bytes",
                () => (Interlocked.Read(ref received), snapshot.Size),
                async () =>
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await using (file.ConfigureAwait(false))
                    {
                        var done = await client.DownloadSnapshotAsync(settings.Index, snapshot.Name, file,
                            new Counter(b => Interlocked.Exchange(ref received, b)), cancellationToken).ConfigureAwait(false);
                        return (done, clock.Elapsed.TotalSeconds);
                    }
                }).ConfigureAwait(false);
            File.Move(partial, target, overwrite: true);
            Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"downloaded {transfer.Bytes:N0} bytes to {Markup.Escape(target)} in {seconds:F2} s, sha256 {transfer.Sha256}"));
            return ExitCodes.Success;
        }
        finally
        {
            File.Delete(partial);
        }
    }
}

/// <summary><c>vectord snapshot restore FILE --index NAME [--shards N] [--sha256 HEX]</c>: uploads a snapshot file
/// with a progress bar and creates the index from it.</summary>
internal sealed class SnapshotRestoreCommand(CliContext context) : ServiceCommand<SnapshotRestoreSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SnapshotRestoreSettings settings, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(settings.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{settings.File}: {e.Message}");
        }
        await using (file.ConfigureAwait(false))
        {
            long sent = 0;
            long size = file.Length;
            var (index, seconds) = await ProgressDisplay.RunAsync(Console, $"restore {settings.Index}", "bytes",
                () => (Interlocked.Read(ref sent), size),
                async () =>
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var info = await client.RestoreSnapshotAsync(file, settings.Index, settings.Shards, settings.Sha256,
                        new Counter(b => Interlocked.Exchange(ref sent, b)), cancellationToken).ConfigureAwait(false);
                    return (info, clock.Elapsed.TotalSeconds);
                }).ConfigureAwait(false);
            Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"restored {Markup.Escape(index.Name)}: {index.Length:N0} items, {index.Dimension}-d {DistanceNames.Format(index.Distance)}, {index.Shards} shard(s), in {seconds:F2} s"));
            return ExitCodes.Success;
        }
    }
}

/// <summary><c>vectord snapshot delete INDEX SNAPSHOT</c>.</summary>
internal sealed class SnapshotDeleteCommand(CliContext context) : ServiceCommand<SnapshotSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        await client.DeleteSnapshotAsync(settings.Index, settings.Snapshot, cancellationToken).ConfigureAwait(false);
        Console.MarkupLineInterpolated($"deleted {settings.Snapshot}");
        return ExitCodes.Success;
    }
}

/// <summary>Snapshots as a table: name, time, items, size, SHA-256.</summary>
internal static class SnapshotTable
{
    public static Table Of(IEnumerable<SnapshotInfo> snapshots)
    {
        var table = new Table().AddColumns("snapshot", "created (UTC)", "items", "bytes", "sha256");
        foreach (SnapshotInfo s in snapshots)
        {
            table.AddRow(Markup.Escape(s.Name), s.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                s.Length.ToString("N0", CultureInfo.InvariantCulture), s.Size.ToString("N0", CultureInfo.InvariantCulture), s.Sha256);
        }
        return table;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (a <see cref="Progress{T}"/> would
/// post to a synchronization context, late and out of order).</summary>
internal sealed class Counter(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
