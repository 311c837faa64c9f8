using System.Net;
using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary><c>items/query</c> with <c>order_by</c>: numbers, strings and date-times in either direction, several keys,
/// items without the key last, paging by offset, the same answer from one part and from three, and a 400 for each
/// misuse.</summary>
public sealed class OrderByApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private static readonly string s_items = string.Join(",", Enumerable.Range(0, 40).Select(i =>
        $$$"""{"id":"i{{{i:D2}}}","vector":[{{{i}}},1],"metadata":{"price":{{{(i * 7) % 13}}},"name":"n{{{(i * 11) % 40:D2}}}","at":"2026-01-{{{1 + (i % 28):D2}}}T{{{i % 24:D2}}}:00:00+02:00","odd":{{{(i % 2 == 1 ? "true" : "false")}}}}}""")
        .Append("""{"id":"bare","vector":[50,1]}"""));

    private async Task<string> SeededAsync(int shards)
    {
        string name = Http.NewName("order");
        (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":2,"distance":"euclidean","shards":{{shards}}}""")).AssertJson(HttpStatusCode.Created);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", $$"""{"items":[{{s_items}}]}""")).AssertJson(HttpStatusCode.OK);
        return name;
    }

    private async Task<string[]> IdsAsync(string name, string body)
    {
        var page = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query", body)).AssertJson(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    /// <summary>The expected order, computed here from the same data: price, then id.</summary>
    private static string[] ByPrice(bool descending)
    {
        var items = Enumerable.Range(0, 40).Select(i => (Id: $"i{i:D2}", Price: (i * 7) % 13));
        var ordered = descending
            ? items.OrderByDescending(i => i.Price).ThenBy(i => i.Id, StringComparer.Ordinal)
            : items.OrderBy(i => i.Price).ThenBy(i => i.Id, StringComparer.Ordinal);
        return [.. ordered.Select(i => i.Id).Append("bare")];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Items_come_in_the_order_of_their_keys_with_missing_values_last_and_offsets_page_through_them(int shards)
    {
        string name = await SeededAsync(shards);
        Assert.Equal(ByPrice(false), await IdsAsync(name, """{"order_by":[{"key":"price"}],"limit":100}"""));
        Assert.Equal(ByPrice(true), await IdsAsync(name, """{"order_by":[{"key":"price","direction":"DESC"}],"limit":100}"""));

        // Pages by offset join into the whole order.
        var pages = new List<string>();
        for (int offset = 0; offset < 41; offset += 7)
        {
            pages.AddRange(await IdsAsync(name, $$"""{"order_by":[{"key":"price","direction":"desc"}],"limit":7,"offset":{{offset}}}"""));
        }
        Assert.Equal(ByPrice(true), pages);

        // Strings ordinally; date-times as instants whatever the offset they are written with; several keys in turn.
        var byName = Enumerable.Range(0, 40).OrderBy(i => $"n{(i * 11) % 40:D2}", StringComparer.Ordinal).Select(i => $"i{i:D2}");
        Assert.Equal(byName.Take(5).ToArray(), await IdsAsync(name, """{"order_by":[{"key":"name"}],"limit":5}"""));
        var byAt = Enumerable.Range(0, 40)
            .OrderByDescending(i => new DateTimeOffset(2026, 1, 1 + (i % 28), i % 24, 0, 0, TimeSpan.FromHours(2)))
            .ThenBy(i => $"i{i:D2}", StringComparer.Ordinal).Select(i => $"i{i:D2}");
        Assert.Equal(byAt.Take(6).ToArray(), await IdsAsync(name, """{"order_by":[{"key":"at","direction":"desc"}],"limit":6}"""));
        var byOddThenPrice = Enumerable.Range(0, 40).OrderByDescending(i => i % 2).ThenBy(i => (i * 7) % 13)
            .ThenBy(i => $"i{i:D2}", StringComparer.Ordinal).Select(i => $"i{i:D2}");
        Assert.Equal(byOddThenPrice.Take(10).ToArray(),
            await IdsAsync(name, """{"order_by":[{"key":"odd","direction":"desc"},{"key":"price"}],"limit":10}"""));

        // With a filter, and with vectors.
        var filtered = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query",
            """{"filter":{"must":[{"key":"odd","match":{"value":true}}]},"order_by":[{"key":"price"}],"limit":3,"vectors":true}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("items");
        Assert.Equal([.. ByPrice(false).Where(id => id != "bare" && int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1).Take(3)],
            filtered.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
        Assert.Equal(2, filtered[0].GetProperty("vector").GetArrayLength());
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"order_by":[]}""", "order_by: between 1 and 8 keys are required" },
        { """{"order_by":[{"key":"price"}],"after":"i01"}""", "after: cannot be combined with order_by (page with offset)" },
        { """{"offset":5}""", "offset: applies to order_by queries only (page by id with after)" },
        { """{"order_by":[{"key":"price"}],"offset":-1}""", "offset: must be 0 or more" },
        { """{"order_by":[{"key":"price"}],"offset":9950,"limit":100}""", "offset + limit: at most 10000 with order_by" },
        { """{"order_by":[{"key":"price","direction":"up"}]}""", "order_by[0].direction: unknown value \"up\" (expected asc or desc)" },
        { """{"order_by":[{"direction":"asc"}]}""", "order_by[0].key: is required" },
        { """{"order_by":[{"key":"a..b"}]}""", "order_by[0].key: 'a..b' has an empty step between dots" },
        { """{"order_by":[{"key":"a"},{"key":"b"},{"key":"c"},{"key":"d"},{"key":"e"},{"key":"f"},{"key":"g"},{"key":"h"},{"key":"i"}]}""",
            "order_by: between 1 and 8 keys are required" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_ordering_is_400_naming_it(string body, string detail)
    {
        string name = await SeededAsync(1);
        Assert.Equal(detail, (await _http.PostReplyAsync($"/vectors/index/{name}/items/query", body)).AssertProblem(HttpStatusCode.BadRequest));
    }
}
