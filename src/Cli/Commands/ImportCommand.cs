using System.Globalization;
using Spectre.Console;
using Vectord.Cli.Formats;
using Vectord.Cli.Import;
using Vectord.Cli.Output;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary><c>vectord import FILE --index NAME</c>: reads the file and adds its items in batches, several in flight,
/// with a live progress bar and a summary; bad rows are reported with their line or row number.</summary>
internal sealed class ImportCommand(CliContext context) : ServiceCommand<ImportSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, ImportSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.Format ?? VectorFiles.Detect(settings.File)!.Value;
        using var reader = OpenReader(settings, format);
        var index = await IndexLookups.FindAsync(client, settings.Index, cancellationToken).ConfigureAwait(false);
        if (index is null && !settings.Create)
        {
            throw new CliException($"index {settings.Index} does not exist: add --create (with --distance, --shards, --replicas) to create it");
        }
        var present = settings.Resume && index is not null
            ? await IndexLookups.IdsAsync(client, settings.Index, cancellationToken).ConfigureAwait(false)
            : null;

        async Task Prepare(IndexItem first)
        {
            index ??= await CreateAsync(client, settings, first.Vector.Length, cancellationToken).ConfigureAwait(false);
            if (index.Dimension != first.Vector.Length)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"the file's vectors have {first.Vector.Length} components; index {settings.Index} has dimension {index.Dimension}"));
            }
        }

        var importer = new Importer(AddBatch(client, settings.Index), new ImportOptions(settings.Batch, settings.Parallel, settings.Strict));
        var counters = importer.Counters;
        ImportResult result;
        try
        {
            result = await ProgressDisplay.RunAsync(Console, $"import {Path.GetFileName(settings.File)}", "items",
                () =>
                {
                    double done = counters.Stored + counters.Skipped + counters.Rejected;
                    return (done, reader.RowCount ?? (reader.Fraction > 0 ? done / reader.Fraction : done));
                },
                () => importer.RunAsync(reader, present, Prepare, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The file ends early or is damaged past the rows already read: nothing after the last whole row was sent.
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{settings.File}: {e.Message} ({counters.Stored:N0} items stored before it; once the file is whole, --resume adds the rest)"), e);
        }
        Report(settings, reader, result);
        return result.End == ImportEnd.Completed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static VectorFileReader OpenReader(ImportSettings settings, VectorFormat format)
    {
        try
        {
            return VectorFiles.Open(settings.File, format, new FieldNames(settings.IdField, settings.VectorField));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CliException($"{settings.File}: {e.Message}", e);
        }
    }

    private static AddBatchAsync AddBatch(VectordClient client, string index) => async (items, cancellationToken) =>
    {
        try
        {
            await client.AddAsync(index, items, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (InvalidIndexArgumentException e) when (e.Status == 400)
        {
            return e.Message;
        }
    };

    private static async Task<IndexInfo> CreateAsync(VectordClient client, ImportSettings settings, int firstDimension,
        CancellationToken cancellationToken)
    {
        try
        {
            var spec = new IndexSpec(settings.Dimension ?? firstDimension, Distance: DistanceNames.Parse(settings.Distance), Shards: settings.Shards ?? 0,
                Quantization: QuantizationNames.Parse(settings.Quantization), OnDisk: settings.OnDisk, Replicas: settings.Replicas ?? 0);
            return await client.CreateIndexAsync(settings.Index, spec, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexAlreadyExistsException)
        {
            // Created meanwhile by someone else: import into it as it is.
            return await client.GetIndexAsync(settings.Index, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Report(ImportSettings settings, VectorFileReader reader, ImportResult result)
    {
        var ended = result.End switch
        {
            ImportEnd.Interrupted => "[yellow]interrupted[/] (the batches in flight finished; run again with --resume to continue): ",
            ImportEnd.StoppedAtBadRow => "[red]stopped at a bad row[/] (--strict): ",
            _ => "",
        };
        Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{ended}imported {result.Stored:N0} items into {Markup.Escape(settings.Index)} in {result.Seconds:F2} s ({result.Rate:N0} items/s); {result.Skipped:N0} already present, {result.Rejected:N0} bad rows"));
        foreach (var error in result.FirstErrors)
        {
            Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [red]{reader.RowKind} {error.Number}[/]: {error.Message}");
        }
        if (result.Rejected > result.FirstErrors.Count)
        {
            Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  ... and {result.Rejected - result.FirstErrors.Count:N0} more bad rows"));
        }
    }
}
