using System.Globalization;
using Spectre.Console;
using Vectord.Cli.Output;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary><c>vectord indexes</c>: a table of the indexes with their parameters (shards, replicas) and sizes.</summary>
internal sealed class IndexesCommand(CliContext context) : ServiceCommand<ServiceSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, ServiceSettings settings, CancellationToken cancellationToken)
    {
        var names = await client.ListIndexesAsync(cancellationToken).ConfigureAwait(false);
        var table = new Table().AddColumns("name", "dimension", "distance", "shards", "replicas", "items");
        foreach (var name in names)
        {
            // An index dropped between the listing and this call is left out.
            if (await IndexLookups.FindAsync(client, name, cancellationToken).ConfigureAwait(false) is not { } index)
            {
                continue;
            }
            // Named vectors show as their names and dimensions (title:384 image:512).
            var dimension = index.Vectors is { Length: > 0 } named
                ? Markup.Escape(string.Join(" ", named.Select(v => $"{v.Name}:{Figures.Number(v.Dimension)}")))
                : Figures.Number(index.Dimension);
            table.AddRow(Markup.Escape(name), dimension, DistanceNames.Format(index.Distance),
                Figures.Number(index.Shards), Figures.Number(index.Replicas), Figures.Number(index.Length));
        }
        Console.Write(table);
        Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{names.Length:N0} indexes"));
        return ExitCodes.Success;
    }
}
