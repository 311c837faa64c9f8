using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vectord.Gateway.Tests;

/// <summary>One route: an HTTP method (upper case) and a path template as OpenAPI spells it.</summary>
public sealed record ApiRoute(string Method, string Path)
{
    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// The routes <c>docs/http-api.md</c> documents, read from its two places: the section headings
/// (<c>### POST /vectors/index/{name}/add</c>) and the rows of its route table (<c>| `GET /health` | ... |</c>,
/// in a table whose first column is headed <c>route</c>). Rows of a table whose first column is headed <c>path</c>
/// are the paths a node serves outside the OpenAPI document.
/// </summary>
public sealed partial class ApiContract
{
    /// <summary>The contract's file in the repository.</summary>
    public static string FilePath { get; } = Path.Combine(Vectord.Testing.RepositoryPaths.Root, "docs", "http-api.md");

    /// <summary>Routes with a section of their own, in the order of the file (a repeated one appears twice).</summary>
    public IReadOnlyList<ApiRoute> Headings { get; }

    /// <summary>Routes listed in the route table, in the order of the file.</summary>
    public IReadOnlyList<ApiRoute> Table { get; }

    /// <summary>Paths served outside the OpenAPI document.</summary>
    public IReadOnlyList<ApiRoute> Outside { get; }

    private ApiContract(List<ApiRoute> headings, List<ApiRoute> table, List<ApiRoute> outside)
    {
        Headings = headings;
        Table = table;
        Outside = outside;
    }

    /// <summary>Reads the routes out of the text of the contract.</summary>
    /// <param name="markdown">The contract's Markdown.</param>
    public static ApiContract Parse(string markdown)
    {
        List<ApiRoute> headings = [], table = [], outside = [];
        List<ApiRoute>? rows = null;
        bool inCode = false, inTable = false;
        foreach (string line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (inCode)
            {
                continue;
            }
            else if (!line.StartsWith('|'))
            {
                inTable = false;
                rows = null;
                if (Heading().Match(line) is { Success: true } heading)
                {
                    headings.Add(new ApiRoute(heading.Groups["method"].Value, heading.Groups["path"].Value));
                }
            }
            else if (!inTable)
            {
                // A table's first line names its columns: "route" and "path" tables list routes.
                inTable = true;
                string first = line.Split('|')[1].Trim();
                rows = first switch { "route" => table, "path" => outside, _ => null };
            }
            else if (rows is not null && !Separator().IsMatch(line))
            {
                var row = TableRow().Match(line);
                if (!row.Success)
                {
                    throw new FormatException($"a row of a route table does not start with `METHOD /path`: {line}");
                }
                rows.Add(new ApiRoute(row.Groups["method"].Value, row.Groups["path"].Value));
            }
        }
        return new ApiContract(headings, table, outside);
    }

    /// <summary>Every route of an OpenAPI document: each operation under <c>paths</c>.</summary>
    /// <param name="document">The OpenAPI document.</param>
    public static IReadOnlyList<ApiRoute> RoutesOf(JsonElement document)
    {
        string[] methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        List<ApiRoute> routes = [];
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => methods.Contains(o.Name)))
            {
                routes.Add(new ApiRoute(operation.Name.ToUpperInvariant(), path.Name));
            }
        }
        return routes;
    }

    /// <summary>What differs between the routes a list documents and the routes a node serves: one line per route
    /// missing on either side or documented twice; empty when they agree.</summary>
    /// <param name="place">Where in the contract the list is (for the messages).</param>
    /// <param name="documented">The routes the contract documents there.</param>
    /// <param name="served">The routes of the OpenAPI document.</param>
    public static IReadOnlyList<string> Differences(string place, IReadOnlyList<ApiRoute> documented, IReadOnlyList<ApiRoute> served)
    {
        var twice = documented.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {place} lists it {g.Count()} times");
        var notServed = documented.Distinct().Except(served).Select(r => $"{r}: in the {place}, not in the OpenAPI document");
        var notDocumented = served.Except(documented).Select(r => $"{r}: in the OpenAPI document, not in the {place}");
        return [.. twice, .. notServed, .. notDocumented];
    }

    [GeneratedRegex(@"^### (?<method>GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) (?<path>/\S*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\|[-| :]+\|$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\| *`(?<method>GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) (?<path>/[^`\s]*)` *\|")]
    private static partial Regex TableRow();
}
