using System.Globalization;
using System.Net;
using System.Text;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A node that lets a filter run for one millisecond (<c>Filters:MaxEvaluationTime</c>).</summary>
public sealed class ImpatientNodeFixture() : NodeFixture(new() { ["Filters:MaxEvaluationTime"] = "00:00:00.001" });

/// <summary>What one request's filters may cost (<see cref="FilterRules.MaxCost"/>), summed over nesting and over the
/// searches of a batch, and the time a filter may run.</summary>
public sealed class FilterCostTests(NodeFixture node, ImpatientNodeFixture impatient) : IClassFixture<ImpatientNodeFixture>
{
    private readonly HttpClient _http = node.Http;

    /// <summary>A filter of <paramref name="count"/> range conditions on <c>n</c>, all of them true of n ≥ 0.</summary>
    private static string Ranges(int count) =>
        $$"""{"must":[{{string.Join(",", Enumerable.Range(0, count).Select(i => $$$"""{"key":"n","range":{"gte":{{{-i}}}}}"""))}}]}""";

    private static async Task<string> IndexAsync(HttpClient http, int items)
    {
        string name = Http.NewName("cost");
        await http.CreateIndexAsync(name, 2, "euclidean");
        foreach (var chunk in Enumerable.Range(0, items).Chunk(ItemLimits.MaxBatchItems))
        {
            string batch = string.Join(",", chunk.Select(i =>
                string.Create(CultureInfo.InvariantCulture, $$$"""{"id":"i{{{i}}}","vector":[{{{i}}},1],"metadata":{"n":{{{i}}}}}""")));
            (await http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{batch}}]}""")).AssertJson(HttpStatusCode.OK);
        }
        return name;
    }

    [Fact]
    public async Task A_filter_within_the_budget_is_answered()
    {
        string name = await IndexAsync(_http, 20);
        int most = FilterRules.MaxCost / FilterRules.ConditionCost;
        var count = (await _http.PostReplyAsync($"/vectors/index/{name}/count", $$"""{"filter":{{Ranges(most)}}}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(20, count.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("count", "")]
    [InlineData("items/query", "")]
    [InlineData("search", "\"vector\":[0,0],")]
    [InlineData("delete", "")]
    public async Task A_filter_over_the_budget_is_400_naming_the_budget_and_its_cost(string route, string before)
    {
        string name = await IndexAsync(_http, 20);
        int over = (FilterRules.MaxCost / FilterRules.ConditionCost) + 1;
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", $$"""{{{before}}"filter":{{Ranges(over)}}}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture,
            $"filter.must[{over - 1}]: the filters cost at least {over * FilterRules.ConditionCost}, more than the {FilterRules.MaxCost} one request may ({FilterRules.ConditionCost} per condition, 1 per value or id listed); use fewer conditions or split the request"),
            detail);
        Assert.Equal(20, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task The_searches_of_a_batch_share_one_budget()
    {
        string name = await IndexAsync(_http, 20);
        int half = (FilterRules.MaxCost / FilterRules.ConditionCost / 2) + 1;
        string search = $$"""{"vector":[0,0],"filter":{{Ranges(half)}}}""";
        // Each search alone is within the budget; together they are not.
        (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", $$"""{"searches":[{{search}}]}""")).AssertJson(HttpStatusCode.OK);
        string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", $$"""{"searches":[{{search}},{{search}}]}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.StartsWith("searches[1].filter.must[", detail, StringComparison.Ordinal);
        Assert.Contains($"more than the {FilterRules.MaxCost} one request may", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worst_filter_the_caps_allow_is_refused()
    {
        // 1,024 nested filters of 1,024 empty filters each, 16 levels allowed: a million conditions in 3 MiB, every
        // list within its cap.
        string name = await IndexAsync(_http, 20);
        string inner = $$"""{"must":[{{string.Join(",", Enumerable.Repeat("{}", FilterRules.MaxValues))}}]}""";
        string body = $$$"""{"filter":{"must":[{{{string.Join(",", Enumerable.Repeat(inner, FilterRules.MaxValues))}}}]}}""";
        Assert.True(Encoding.UTF8.GetByteCount(body) < 4 * 1024 * 1024);
        // Refused before the body is parsed, on every filter route.
        foreach (var (route, request) in new[] { ("count", body), ("search", body.Insert(1, "\"vector\":[0,0],")), ("delete", body) })
        {
            string detail = (await _http.PostReplyAsync($"/vectors/index/{name}/{route}", request)).AssertProblem(HttpStatusCode.BadRequest);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture,
                $"filter: the filters cost at least {FilterRules.MaxCost + FilterRules.ConditionCost}, more than the {FilterRules.MaxCost} one request may ({FilterRules.ConditionCost} per condition, 1 per value or id listed); use fewer conditions or split the request"),
                detail);
        }
        Assert.Equal(20, await _http.LengthAsync(name));
    }

    [Fact]
    public async Task A_filter_past_the_time_limit_is_503_saying_so_and_deletes_nothing()
    {
        HttpClient http = impatient.Server.Client;
        // Enough items that the filter's evaluation takes many times the limit even on a fast, warm run: a timer
        // of one millisecond may fire a few milliseconds late.
        string name = await IndexAsync(http, 30_000);
        string filter = Ranges(FilterRules.MaxCost / FilterRules.ConditionCost);
        foreach (string route in new[] { "count", "delete" })
        {
            var reply = await http.PostReplyAsync($"/vectors/index/{name}/{route}", $$"""{"filter":{{filter}}}""");
            string detail = reply.AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("Filters:MaxEvaluationTime", detail, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", detail, StringComparison.Ordinal);
        }
        Assert.Equal(30_000, await http.LengthAsync(name));
    }

    [Theory]
    [InlineData("0:00:00")]
    [InlineData("0:00:26")]
    public async Task A_time_limit_that_is_not_positive_or_not_under_the_call_timeout_stops_start_up(string limit)
    {
        using var data = new TempDirectory("vectord-filter-limit");
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?> { ["Filters:MaxEvaluationTime"] = limit });
        });
        Assert.Contains("Filters:MaxEvaluationTime must be a positive time of at most 25 s", error.ToString(), StringComparison.Ordinal);
    }
}
