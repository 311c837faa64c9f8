using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Cli.Output;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord info</c>.</summary>
internal sealed class InfoSettings : ServiceSettings
{
    /// <summary>The index.</summary>
    [CommandArgument(0, "<NAME>")]
    [Description("The index")]
    public string Name { get; init; } = "";
}

/// <summary><c>vectord info NAME</c>: an index's parameters, its number of items, and each copy of each shard: where it
/// is, its role, and how far it has followed the shard's log.</summary>
internal sealed class InfoCommand(CliContext context) : ServiceCommand<InfoSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, InfoSettings settings, CancellationToken cancellationToken)
    {
        var index = await client.GetIndexAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        var shards = await client.GetShardsAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        var p = index;
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (key, value) in new (string, object)[]
                 {
                     ("name", p.Name), ("items", index.Length), ("dimension", p.Dimension), ("distance", DistanceNames.Format(p.Distance)),
                     ("m", p.M), ("ef_search", p.EfSearch), ("shards", p.Shards), ("replicas", p.Replicas),
                     ("text fields", p.TextFields is { Length: > 0 } fields
                         ? string.Join(", ", fields.Select(f => $"{f.Path} ({TextFieldNames.Format(f.Language)})"))
                         : "none"),
                     ("named vectors", p.Vectors is { Length: > 0 } named
                         ? string.Join(", ", named.Select(v => $"{v.Name} ({v.Dimension}, {DistanceNames.Format(v.Distance)}, {QuantizationNames.Format(v.Quantization)})"))
                         : "none"),
                 })
        {
            grid.AddRow($"[bold]{key}[/]", Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
        }
        Console.Write(grid);
        var table = new Table().AddColumns("shard", "replica", "role", "items", "silo", "log position", "lag", "ready");
        foreach (var copy in shards)
        {
            table.AddRow(Figures.Number(copy.Shard), Figures.Number(copy.Replica), CopyRoleNames.Format(copy.Role), Figures.Number(copy.Length),
                Markup.Escape(copy.Silo ?? "(not active)"), Figures.Number(copy.LogPosition), Figures.Number(copy.Lag), copy.Ready ? "yes" : "[yellow]no[/]");
        }
        Console.Write(table);
        return ExitCodes.Success;
    }
}
