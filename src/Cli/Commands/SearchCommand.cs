using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord search</c>.</summary>
internal sealed class SearchSettings : ServiceSettings
{
    /// <summary>The index.</summary>
    [CommandArgument(0, "<NAME>")]
    [Description("The index")]
    public string Name { get; init; } = "";

    /// <summary>Search near this stored item's vector.</summary>
    [CommandOption("--id <ID>")]
    [Description("Search near this stored item's vector")]
    public string? Id { get; init; }

    /// <summary>Search near this vector (a JSON array).</summary>
    [CommandOption("--vector <JSON>")]
    [Description("Search near this vector, a JSON array such as [[1,0,0]]")]
    public string? Vector { get; init; }

    /// <summary>Results wanted.</summary>
    [CommandOption("-k <K>")]
    [Description("Results wanted (1 to 1000)")]
    [DefaultValue(10)]
    public int K { get; init; } = 10;

    /// <summary>Beam width.</summary>
    [CommandOption("--ef <EF>")]
    [Description("Beam width for this search (default: the index's ef_search)")]
    public int? Ef { get; init; }

    /// <summary>A filter over metadata (JSON).</summary>
    [CommandOption("--filter <JSON>")]
    [Description("Only items whose metadata match this filter, e.g. {\"must\":[[{\"key\":\"lang\",\"match\":{\"value\":\"en\"}}]]}")]
    public string? Filter { get; init; }

    /// <summary>Which copies of a replicated index may answer.</summary>
    [CommandOption("--consistency <C>")]
    [Description("any (default: any ready copy of each shard, at most one acknowledged write batch behind) or primary (the primaries: every acknowledged write)")]
    public string? Consistency { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed)
        {
            return failed;
        }
        if ((Id is null) == (Vector is null))
        {
            return ValidationResult.Error("give exactly one of --id and --vector");
        }
        if (K is < 1 or > IndexLimits.MaxK)
        {
            return ValidationResult.Error($"-k must be 1 to {IndexLimits.MaxK}");
        }
        if (Vector is not null && ParseVector(Vector) is null)
        {
            return ValidationResult.Error($"--vector {Vector}: not a JSON array of numbers");
        }
        try
        {
            _ = Filter is null ? null : ParseFilter(Filter);
            ConsistencyNames.Parse(Consistency);
            return ValidationResult.Success();
        }
        catch (InvalidIndexArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }

    /// <summary>A JSON array of numbers as a vector; null when it is not one.</summary>
    public static float[]? ParseVector(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<float[]>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a filter in its JSON form.</summary>
    /// <exception cref="InvalidIndexArgumentException">Not a valid filter; the message says what is wrong.</exception>
    public static ItemFilter ParseFilter(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FilterJson.Read(document.RootElement, "--filter");
        }
        catch (JsonException e)
        {
            throw new InvalidIndexArgumentException($"--filter: not JSON ({e.Message})");
        }
    }
}

/// <summary><c>vectord search NAME --id ID | --vector JSON</c>: the nearest items as a table.</summary>
internal sealed class SearchCommand(CliContext context) : ServiceCommand<SearchSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SearchSettings settings, CancellationToken cancellationToken)
    {
        var vector = settings.Vector is not null
            ? SearchSettings.ParseVector(settings.Vector)!
            : (await client.GetItemAsync(settings.Name, settings.Id!, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"index {settings.Name} has no item {settings.Id}")).Vector;
        var filter = settings.Filter is null ? null : SearchSettings.ParseFilter(settings.Filter);
        var query = new SearchQuery(vector, settings.K, settings.Ef, filter, ConsistencyNames.Parse(settings.Consistency));
        var hits = await client.SearchAsync(settings.Name, query, cancellationToken).ConfigureAwait(false);
        var table = new Table().AddColumns("#", "id", "distance", "metadata");
        var rank = 0;
        foreach (var hit in hits)
        {
            table.AddRow((++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Id),
                hit.Distance.ToString("G6", CultureInfo.InvariantCulture), Markup.Escape(hit.Metadata ?? ""));
        }
        Console.Write(table);
        return ExitCodes.Success;
    }
}
