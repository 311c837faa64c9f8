using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Cli.Formats;
using Vectord.Cli.Output;
using Vectord.Client;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord export</c>.</summary>
internal sealed class ExportSettings : ServiceSettings
{
    /// <summary>The index to export.</summary>
    [CommandOption("--index <NAME>", isRequired: true)]
    [Description("The index to export")]
    public string Index { get; init; } = "";

    /// <summary>The JSONL file to write.</summary>
    [CommandOption("--out <FILE>", isRequired: true)]
    [Description("The JSONL file to write ({\"id\",\"vector\"?,\"metadata\"?} per line)")]
    public string Out { get; init; } = "";

    /// <summary>Whether lines carry vectors.</summary>
    [CommandOption("--vectors")]
    [Description("Write each item's vector too (needed to import the file again)")]
    public bool Vectors { get; init; }
}

/// <summary><c>vectord export --index NAME --out FILE</c>: streams the index's items, a page at a time in id order,
/// into a JSONL file that <c>vectord import</c> reads back.</summary>
internal sealed class ExportCommand(CliContext context) : ServiceCommand<ExportSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, ExportSettings settings, CancellationToken cancellationToken)
    {
        var index = await client.GetIndexAsync(settings.Index, cancellationToken).ConfigureAwait(false);
        long written = 0;
        var seconds = await ProgressDisplay.RunAsync(Console, $"export {settings.Index}", "items",
            () => (Interlocked.Read(ref written), index.Length),
            async () =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var file = new FileStream(settings.Out, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                using var json = new Utf8JsonWriter(file, new JsonWriterOptions { SkipValidation = true });
                await foreach (var item in client.QueryAllItemsAsync(settings.Index, includeVectors: settings.Vectors,
                    cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    WriteLine(json, file, item, settings.Vectors);
                    Interlocked.Increment(ref written);
                }
                return clock.Elapsed.TotalSeconds;
            }).ConfigureAwait(false);
        Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"exported {written:N0} items of {Markup.Escape(settings.Index)} to {Markup.Escape(settings.Out)} in {seconds:F2} s"));
        return ExitCodes.Success;
    }

    private static void WriteLine(Utf8JsonWriter json, Stream file, IndexItem item, bool vectors)
    {
        json.WriteStartObject();
        json.WriteString(FieldNames.DefaultId, item.Id);
        if (vectors)
        {
            json.WriteStartArray(FieldNames.DefaultVector);
            foreach (var x in item.Vector)
            {
                json.WriteNumberValue(x);
            }
            json.WriteEndArray();
        }
        if (item.Metadata is { } metadata)
        {
            json.WritePropertyName(FieldNames.Metadata);
            json.WriteRawValue(metadata.Utf8.Span, skipInputValidation: true);
        }
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        file.WriteByte((byte)'\n');
    }
}
