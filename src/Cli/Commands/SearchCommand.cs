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

    /// <summary>Words searched in the index's text fields (BM25): alone a keyword search, with --id or --vector a
    /// hybrid search.</summary>
    [CommandOption("--text <WORDS>")]
    [Description("Words to search in the index's text fields (BM25); with --id or --vector, a hybrid search")]
    public string? Text { get; init; }

    /// <summary>The text fields searched.</summary>
    [CommandOption("--fields <LIST>")]
    [Description("Text fields searched by --text, comma-separated (default: all)")]
    public string? Fields { get; init; }

    /// <summary>How a hybrid search fuses its lists.</summary>
    [CommandOption("--fusion <F>")]
    [Description("How a hybrid search fuses its two lists: rrf (default) or weighted")]
    public string? Fusion { get; init; }

    /// <summary>The vector list's weight in weighted fusion.</summary>
    [CommandOption("--alpha <A>")]
    [Description("The vector list's weight in weighted fusion, 0 to 1 (default 0.5)")]
    public float? Alpha { get; init; }

    /// <summary>The named vector searched, in an index with named vectors.</summary>
    [CommandOption("--using <NAME>")]
    [Description("The named vector to search by, in an index with named vectors (with --id, that vector of the item)")]
    public string? Using { get; init; }

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
        if (Id is not null && Vector is not null)
        {
            return ValidationResult.Error("give one of --id and --vector, not both");
        }
        if (Id is null && Vector is null && Text is null)
        {
            return ValidationResult.Error("give --id or --vector, --text, or --text with one of them");
        }
        if ((Fields is not null || Fusion is not null || Alpha is not null) && Text is null)
        {
            return ValidationResult.Error("--fields, --fusion and --alpha go with --text");
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
            FusionNames.Parse(Fusion, "--fusion");
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

    /// <summary>The keyword query of --text and --fields; null without --text.</summary>
    public TextQuery? TextQuery() => Text is null ? null
        : new TextQuery(Text, Fields?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

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

/// <summary><c>vectord search NAME --id ID | --vector JSON | --text WORDS</c>: the nearest items, the best keyword
/// matches, or a hybrid of both, as a table.</summary>
internal sealed class SearchCommand(CliContext context) : ServiceCommand<SearchSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, SearchSettings settings, CancellationToken cancellationToken)
    {
        var filter = settings.Filter is null ? null : SearchSettings.ParseFilter(settings.Filter);
        var consistency = ConsistencyNames.Parse(settings.Consistency);
        var text = settings.TextQuery();
        SearchHit[] hits;
        if (settings.Id is null && settings.Vector is null)
        {
            hits = await client.SearchTextAsync(settings.Name, text!, settings.K, filter, consistency, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var vector = settings.Vector is not null
                ? SearchSettings.ParseVector(settings.Vector)!
                : VectorOf(await client.GetItemAsync(settings.Name, settings.Id!, cancellationToken).ConfigureAwait(false)
                    ?? throw new CliException($"index {settings.Name} has no item {settings.Id}"), settings.Using);
            var query = new SearchQuery(vector, settings.K, settings.Ef, filter, consistency, text, FusionNames.Parse(settings.Fusion, "--fusion"),
                settings.Alpha, settings.Using);
            hits = await client.SearchAsync(settings.Name, query, cancellationToken).ConfigureAwait(false);
        }
        Console.Write(Table(hits, scored: text is not null));
        return ExitCodes.Success;
    }

    /// <summary>The vector of a stored item to search near: its one vector, or its named vector <paramref name="name"/>.</summary>
    private static float[] VectorOf(IndexItem item, string? name) =>
        item.Vectors is not { } named ? item.Vector
        : name is null ? throw new CliException($"the index has named vectors ({string.Join(", ", named.Keys)}): give --using")
        : named.GetValueOrDefault(name) ?? throw new CliException($"the index has no vector named '{name}' ({string.Join(", ", named.Keys)})");

    /// <summary>The hits as a table: rank, id, the score when words were searched, the distance (blank for an item
    /// found by its words only), metadata.</summary>
    private static Table Table(SearchHit[] hits, bool scored)
    {
        var table = new Table().AddColumns(scored ? ["#", "id", "score", "distance", "metadata"] : ["#", "id", "distance", "metadata"]);
        var rank = 0;
        foreach (var hit in hits)
        {
            var distance = float.IsNaN(hit.Distance) ? "" : hit.Distance.ToString("G6", CultureInfo.InvariantCulture);
            string[] cells = scored
                ? [(++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Id), (hit.Score ?? 0).ToString("G6", CultureInfo.InvariantCulture),
                    distance, Markup.Escape(hit.Metadata?.ToString() ?? "")]
                : [(++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Id), distance, Markup.Escape(hit.Metadata?.ToString() ?? "")];
            table.AddRow(cells);
        }
        return table;
    }
}
