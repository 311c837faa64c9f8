using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>
/// The same filters written as JSON bodies over HTTP and built as records (<see cref="ItemFilter"/>, <see cref="Where"/>)
/// for direct calls to <see cref="IVectorIndexGrain"/> of the same node give the same answers — search (ids and
/// distances), batch search, count, item query pages and delete — and those answers are the ones a scan of the
/// items the test keeps gives.
/// </summary>
public sealed class FilterParityTests(NodeFixture node)
{
    private const int Dim = 4;
    private const int Count = 300;
    private static readonly string[] Colors = ["red", "green", "blue"];

    private readonly HttpClient _http = node.Http;
    private readonly IGrainFactory _grains = node.Server.Services.GetRequiredService<IGrainFactory>();

    /// <summary>An item as the test keeps it: <see cref="Metadata"/> is null when the item has no metadata, or
    /// metadata that is not an object (<see cref="Raw"/> then holds it).</summary>
    private sealed record Item(string Id, float[] Vector, Meta? Metadata, string? Raw);

    private sealed record Part(string Kind, int W);

    /// <summary>
    /// Metadata: <c>n</c> (written 40.0 for multiples of 4), <c>color</c>, <c>flag</c>, <c>tags</c> (absent, [] or two
    /// strings), <c>opt</c> (absent, null or a string), <c>nested.k</c>/<c>nested.label</c>, <c>parts</c> (an array of
    /// objects) and <c>code</c> (an integer, or the string "5").
    /// </summary>
    private sealed record Meta(int N, string Color, bool Flag, string[]? Tags, string? Opt, bool OptPresent, int K, string Label, Part[] Parts, object Code);

    private static Item MakeItem(int i, float[] vector)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"p{i:D3}");
        if (i % 20 == 19)
        {
            return new Item(id, vector, null, null);
        }
        if (i % 20 == 18)
        {
            return new Item(id, vector, null, i % 40 == 18 ? "\"red\"" : """[{"color":"red"}]""");
        }
        var meta = new Meta(
            N: i,
            Color: Colors[i % 3],
            Flag: i % 2 == 0,
            Tags: (i % 7) switch { 0 => [], 1 => null, _ => [$"t{i % 4}", $"t{(i + 1) % 4}"] },
            Opt: i % 5 == 0 ? null : $"v{i % 3}",
            OptPresent: i % 5 != 1,
            K: i % 10,
            Label: $"L{i % 4}",
            Parts: [new Part(i % 2 == 0 ? "a" : "b", i % 6), new Part("c", (i + 1) % 6)],
            Code: i % 11 == 0 ? "5" : i % 11);
        return new Item(id, vector, meta, null);
    }

    private static string? MetadataJson(Item item)
    {
        if (item.Metadata is not { } m)
        {
            return item.Raw;
        }
        var o = new JsonObject
        {
            ["n"] = m.N % 4 == 0 ? JsonNode.Parse(string.Create(CultureInfo.InvariantCulture, $"{m.N}.0")) : (JsonNode)m.N,
            ["color"] = m.Color,
            ["flag"] = m.Flag,
        };
        if (m.Tags is not null) { o["tags"] = new JsonArray([.. m.Tags.Select(t => (JsonNode)t)]); }
        if (m.OptPresent) { o["opt"] = m.Opt; }
        o["nested"] = new JsonObject { ["k"] = m.K, ["label"] = m.Label };
        o["parts"] = new JsonArray([.. m.Parts.Select(p => (JsonNode)new JsonObject { ["kind"] = p.Kind, ["w"] = p.W })]);
        o["code"] = m.Code is string s ? (JsonNode)s : (JsonNode)(int)m.Code;
        return o.ToJsonString();
    }

    private static bool IsEmpty(Meta? m, Func<Meta, bool> empty) => m is null || empty(m);

    /// <summary>Every operator, as JSON, as records, and as a rule over the kept items.</summary>
    private static readonly (string Json, ItemFilter Filter, Func<Item, bool> Matches)[] Cases =
    [
        ("""{"must":[{"key":"color","match":{"value":"red"}}]}""",
            ItemFilter.All(Where.Match("color", "red")), i => i.Metadata?.Color == "red"),
        ("""{"must":[{"key":"n","match":{"value":40}}]}""",
            ItemFilter.All(Where.Match("n", 40)), i => i.Metadata?.N == 40),
        ("""{"must":[{"key":"flag","match":{"value":true}}]}""",
            ItemFilter.All(Where.Match("flag", true)), i => i.Metadata?.Flag == true),
        ("""{"must":[{"key":"color","match":{"any":["red","blue"]}}]}""",
            ItemFilter.All(Where.MatchAny("color", "red", "blue")), i => i.Metadata?.Color is "red" or "blue"),
        ("""{"must":[{"key":"color","match":{"except":["red"]}}]}""",
            ItemFilter.All(Where.MatchExcept("color", "red")), i => i.Metadata is { Color: not "red" }),
        ("""{"must":[{"key":"opt","match":{"except":["v1"]}}]}""",
            ItemFilter.All(Where.MatchExcept("opt", "v1")), i => i.Metadata is { OptPresent: true, Opt: "v0" or "v2" }),
        ("""{"must":[{"key":"n","range":{"gte":100,"lt":150}}]}""",
            ItemFilter.All(Where.Range("n", gte: 100, lt: 150)), i => i.Metadata is { N: >= 100 and < 150 }),
        ("""{"must":[{"key":"nested.k","range":{"gt":2,"lte":5.5}}]}""",
            ItemFilter.All(Where.Range("nested.k", gt: 2, lte: 5.5)), i => i.Metadata is { K: > 2 and <= 5 }),
        ("""{"must":[{"is_null":{"key":"opt"}}]}""",
            ItemFilter.All(Where.IsNull("opt")), i => i.Metadata is { OptPresent: true, Opt: null }),
        ("""{"must":[{"is_empty":{"key":"tags"}}]}""",
            ItemFilter.All(Where.IsEmpty("tags")), i => IsEmpty(i.Metadata, m => m.Tags is null or [])),
        ("""{"must":[{"has_id":["p001","p002","p250","nope"]}]}""",
            ItemFilter.All(Where.HasId("p001", "p002", "p250", "nope")), i => i.Id is "p001" or "p002" or "p250"),
        ("""{"must":[{"key":"tags","match":{"value":"t1"}}]}""",
            ItemFilter.All(Where.Match("tags", "t1")), i => i.Metadata?.Tags?.Contains("t1") == true),
        ("""{"must":[{"key":"tags","match":{"any":["t0","t3"]}}]}""",
            ItemFilter.All(Where.MatchAny("tags", "t0", "t3")), i => i.Metadata?.Tags?.Any(t => t is "t0" or "t3") == true),
        ("""{"must":[{"key":"parts.kind","match":{"value":"b"}}]}""",
            ItemFilter.All(Where.Match("parts.kind", "b")), i => i.Metadata?.Parts.Any(p => p.Kind == "b") == true),
        ("""{"must":[{"key":"parts.w","range":{"gte":5}}]}""",
            ItemFilter.All(Where.Range("parts.w", gte: 5)), i => i.Metadata?.Parts.Any(p => p.W >= 5) == true),
        ("""{"must":[{"key":"code","match":{"value":5}}]}""",
            ItemFilter.All(Where.Match("code", 5)), i => i.Metadata?.Code is 5),
        ("""{"must":[{"key":"code","match":{"value":"5"}}]}""",
            ItemFilter.All(Where.Match("code", "5")), i => i.Metadata?.Code is "5"),
        ("""{"must":[{"key":"nested.label","match":{"value":"L2"}}],"must_not":[{"key":"color","match":{"value":"green"}}]}""",
            new ItemFilter(Must: [Where.Match("nested.label", "L2")], MustNot: [Where.Match("color", "green")]),
            i => i.Metadata is { Label: "L2", Color: not "green" }),
        ("""{"must_not":[{"is_empty":{"key":"tags"}}]}""",
            ItemFilter.None(Where.IsEmpty("tags")), i => !IsEmpty(i.Metadata, m => m.Tags is null or [])),
        ("""{"must_not":[{"key":"color","match":{"value":"red"}}]}""",
            ItemFilter.None(Where.Match("color", "red")), i => i.Metadata?.Color != "red"),
        ("""
         {"must":[{"should":[{"key":"color","match":{"value":"red"}},{"key":"nested.k","range":{"lt":2}}]}],
          "should":[{"has_id":["p003","p004","p005"]},{"key":"n","range":{"gte":200}},{"must_not":[{"key":"flag","match":{"value":true}}],"must":[{"key":"tags","match":{"value":"t2"}}]}],
          "must_not":[{"must":[{"key":"flag","match":{"value":true}},{"key":"parts.w","range":{"gt":3}}]}]}
         """,
            new ItemFilter(
                Must: [ItemFilter.Any(Where.Match("color", "red"), Where.Range("nested.k", lt: 2))],
                Should: [Where.HasId("p003", "p004", "p005"), Where.Range("n", gte: 200), new ItemFilter(Must: [Where.Match("tags", "t2")], MustNot: [Where.Match("flag", true)])],
                MustNot: [ItemFilter.All(Where.Match("flag", true), Where.Range("parts.w", gt: 3))]),
            i => i.Metadata is { } m
                && (m.Color == "red" || m.K < 2)
                && (i.Id is "p003" or "p004" or "p005" || m.N >= 200 || (m.Tags?.Contains("t2") == true && !m.Flag))
                && !(m.Flag && m.Parts.Any(p => p.W > 3))),
        ("""{"should":[{"must":[{"key":"color","match":{"value":"purple"}}]}]}""",
            ItemFilter.Any(ItemFilter.All(Where.Match("color", "purple"))), _ => false),
        ("{}", new ItemFilter(), _ => true),
    ];

    private async Task<(string Name, Dictionary<string, Item> Items)> SeededAsync(int shards)
    {
        string name = Http.NewName($"parity{shards}");
        (await _http.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":{{Dim}},"distance":"euclidean","shards":{{shards}}}"""))
            .AssertJson(HttpStatusCode.Created);
        var random = new Random(11);
        var items = new Dictionary<string, Item>(StringComparer.Ordinal);
        var body = new StringBuilder("""{"items":[""");
        for (int i = 0; i < Count; i++)
        {
            var item = MakeItem(i, [.. Enumerable.Range(0, Dim).Select(_ => random.NextSingle() * 10)]);
            items[item.Id] = item;
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"id":"{{item.Id}}","vector":{{JsonSerializer.Serialize(item.Vector)}}""");
            string? metadata = MetadataJson(item);
            body.Append(metadata is null ? "}" : $",\"metadata\":{metadata}}}");
        }
        body.Append("]}");
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", body.ToString())).AssertJson(HttpStatusCode.OK);
        return (name, items);
    }

    private static float L2(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { sum += (a[i] - b[i]) * (double)(a[i] - b[i]); }
        return (float)Math.Sqrt(sum);
    }

    private static string Vector(float[] v) => JsonSerializer.Serialize(v);

    private static (string Id, float Distance)[] Hits(JsonElement results) =>
        [.. results.EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("distance").GetSingle()))];

    private static (string Id, float Distance)[] Hits(SearchHit[] hits) => [.. hits.Select(h => (h.Id, h.Distance))];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_operator_answers_the_same_over_http_and_on_the_grain(int shards)
    {
        var (name, items) = await SeededAsync(shards);
        var grain = _grains.GetGrain<IVectorIndexGrain>(name);
        var random = new Random(17);
        var queries = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, Dim).Select(_ => random.NextSingle() * 10).ToArray()).ToArray();

        foreach (var (json, filter, matches) in Cases)
        {
            string at = $"filter {json}";
            var expected = items.Values.Where(matches).Select(i => i.Id).Order(StringComparer.Ordinal).ToArray();

            // count
            int viaHttp = (await _http.PostReplyAsync($"/vectors/index/{name}/count", $$"""{"filter":{{json}}}"""))
                .AssertJson(HttpStatusCode.OK).GetProperty("count").GetInt32();
            int viaGrain = await grain.CountAsync(filter, TestContext.Current.CancellationToken);
            Assert.True(viaHttp == viaGrain, $"{at}: count {viaHttp} over HTTP, {viaGrain} on the grain");
            Assert.True(expected.Length == viaGrain, $"{at}: count {viaGrain}, expected {expected.Length}");

            // items/query, page by page (with vectors on odd pages)
            string? after = null;
            var paged = new List<string>();
            for (int page = 0; page < 50; page++)
            {
                bool vectors = page % 2 == 1;
                string afterJson = after is null ? "" : $",\"after\":{JsonSerializer.Serialize(after)}";
                var http = (await _http.PostReplyAsync($"/vectors/index/{name}/items/query",
                    $$"""{"filter":{{json}},"limit":17,"vectors":{{(vectors ? "true" : "false")}}{{afterJson}}}""")).AssertJson(HttpStatusCode.OK);
                var direct = await grain.QueryItemsAsync(new ItemQuery(filter, Limit: 17, After: after, IncludeVectors: vectors), TestContext.Current.CancellationToken);
                var httpItems = http.GetProperty("items").EnumerateArray().ToArray();
                Assert.Equal(direct.Items.Select(i => i.Id), httpItems.Select(i => i.GetProperty("id").GetString()));
                for (int j = 0; j < httpItems.Length; j++)
                {
                    IndexItem item = direct.Items[j];
                    Assert.True(httpItems[j].TryGetProperty("metadata", out var metadata) == (item.Metadata is not null), $"{at}: {item.Id} metadata presence differs");
                    if (item.Metadata is not null)
                    {
                        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(item.Metadata.ToString()), JsonNode.Parse(metadata.GetRawText())), $"{at}: {item.Id} metadata differs");
                        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MetadataJson(items[item.Id])!), JsonNode.Parse(item.Metadata.ToString())), $"{at}: {item.Id} metadata is not as added");
                    }
                    if (vectors)
                    {
                        Assert.Equal(items[item.Id].Vector, item.Vector);
                        Assert.Equal(item.Vector, httpItems[j].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
                    }
                    else
                    {
                        Assert.False(httpItems[j].TryGetProperty("vector", out _));
                    }
                }
                string? next = http.GetProperty("next").ValueKind == JsonValueKind.Null ? null : http.GetProperty("next").GetString();
                Assert.Equal(direct.Next, next);
                paged.AddRange(direct.Items.Select(i => i.Id));
                after = next;
                if (after is null) { break; }
            }
            Assert.Null(after);
            Assert.Equal(expected, paged);

            // search: the same ids and distances, and those of the k nearest matches (few match here: exact)
            foreach (var q in queries)
            {
                var http = Hits((await _http.PostReplyAsync($"/vectors/index/{name}/search", $$"""{"vector":{{Vector(q)}},"k":7,"filter":{{json}}}"""))
                    .AssertJson(HttpStatusCode.OK).GetProperty("results"));
                var direct = Hits(await grain.SearchAsync(new SearchQuery(q, K: 7, Filter: filter), TestContext.Current.CancellationToken));
                Assert.Equal(direct, http);
                var nearest = expected.OrderBy(id => L2(q, items[id].Vector)).Take(7).ToArray();
                Assert.Equal(nearest, direct.Select(h => h.Id));
                Assert.All(direct, h => Assert.Equal(L2(q, items[h.Id].Vector), h.Distance, 1e-4f));
            }
        }

        // Every case in one batch, each search with its own query.
        var batchJson = string.Join(",", Cases.Select((c, i) => $$"""{"vector":{{Vector(queries[i % queries.Length])}},"k":5,"filter":{{c.Json}}}"""));
        var httpBatch = (await _http.PostReplyAsync($"/vectors/index/{name}/search/batch", $$"""{"searches":[{{batchJson}}]}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("results").EnumerateArray().Select(Hits).ToArray();
        var grainBatch = await grain.SearchBatchAsync([.. Cases.Select((c, i) => new SearchQuery(queries[i % queries.Length], K: 5, Filter: c.Filter))], TestContext.Current.CancellationToken);
        Assert.Equal(Cases.Length, httpBatch.Length);
        Assert.Equal(Cases.Length, grainBatch.Length);
        for (int i = 0; i < Cases.Length; i++)
        {
            Assert.Equal(Hits(grainBatch[i]), httpBatch[i]);
            var single = Hits(await grain.SearchAsync(new SearchQuery(queries[i % queries.Length], K: 5, Filter: Cases[i].Filter), TestContext.Current.CancellationToken));
            Assert.Equal(single, httpBatch[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_delete_by_filter_removes_the_same_items_over_http_and_on_the_grain(int shards)
    {
        var (overHttp, items) = await SeededAsync(shards);
        var (direct, _) = await SeededAsync(shards);
        var grain = _grains.GetGrain<IVectorIndexGrain>(direct);
        var (json, filter, matches) = Cases.Single(c => c.Json.Contains("p003", StringComparison.Ordinal));
        int doomed = items.Values.Count(matches);
        Assert.InRange(doomed, 1, Count - 1);

        var http = (await _http.PostReplyAsync($"/vectors/index/{overHttp}/delete", $$"""{"filter":{{json}}}""")).AssertJson(HttpStatusCode.OK);
        var result = await grain.DeleteWhereAsync(filter, TestContext.Current.CancellationToken);
        Assert.Equal(new DeleteResult(doomed, Count - doomed), result);
        Assert.Equal(result, new DeleteResult(http.GetProperty("deleted").GetInt32(), http.GetProperty("length").GetInt32()));

        var left = items.Values.Where(i => !matches(i)).Select(i => i.Id).Order(StringComparer.Ordinal).ToArray();
        var httpLeft = (await _http.PostReplyAsync($"/vectors/index/{overHttp}/items/query", """{"limit":1000}"""))
            .AssertJson(HttpStatusCode.OK).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);
        Assert.Equal(left, httpLeft);
        Assert.Equal(left, (await grain.QueryItemsAsync(new ItemQuery(Limit: 1000), TestContext.Current.CancellationToken)).Items.Select(i => i.Id));
    }
}
