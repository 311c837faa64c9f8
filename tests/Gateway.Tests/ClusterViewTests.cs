using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The dashboard's cluster view: the silos and index summaries a page at a time.</summary>
public sealed class ClusterViewTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Silos_report_the_parts_they_hold_and_their_counters()
    {
        string name = Http.NewName("view");
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]},{"id":"c","vector":[1,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1,0]}""")).AssertJson(HttpStatusCode.OK);

        var view = (await _http.GetReplyAsync("/cluster/silos")).AssertJson(HttpStatusCode.OK);
        var silo = Assert.Single(view.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.Contains("127.0.0.1:", silo.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(silo.GetProperty("parts").GetInt32() >= 1);
        Assert.True(silo.GetProperty("vectors").GetInt64() >= 3);
        Assert.True(silo.GetProperty("memory_bytes").GetInt64() > 0);
        Assert.True(silo.GetProperty("items_added").GetInt64() >= 3);
        int bounds = view.GetProperty("search_latency_bounds").GetArrayLength();
        Assert.True(bounds > 0);
        var counts = silo.GetProperty("search_latency_counts").EnumerateArray().Select(c => c.GetInt64()).ToArray();
        Assert.Equal(bounds + 1, counts.Length);
        Assert.True(counts.Sum() >= 1);
        Assert.True(view.GetProperty("indexes").GetInt32() >= 1);
        Assert.Equal(silo.GetProperty("vectors").GetInt64(), view.GetProperty("vectors").GetInt64());
    }

    [Fact]
    public async Task Index_summaries_come_a_page_at_a_time_with_where_each_lives()
    {
        string prefix = $"page{Guid.NewGuid():N}"[..16];
        string[] names = [.. Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}")];
        foreach (string name in names)
        {
            await _http.CreateIndexAsync(name, 3, "euclidean");
        }
        (await _http.PostReplyAsync($"/vectors/index/{names[1]}/add", """{"items":[{"id":"a","vector":[1,0,0]}]}""")).AssertJson(HttpStatusCode.OK);

        var seen = new List<string>();
        string? after = null;
        int pages = 0;
        do
        {
            string query = $"/cluster/indexes?limit=2&q={prefix.ToUpperInvariant()}" + (after is null ? "" : $"&after={after}");
            var page = (await _http.GetReplyAsync(query)).AssertJson(HttpStatusCode.OK);
            Assert.Equal(5, page.GetProperty("count").GetInt32());
            foreach (var summary in page.GetProperty("indexes").EnumerateArray())
            {
                string name = summary.GetProperty("name").GetString()!;
                seen.Add(name);
                Assert.Equal(3, summary.GetProperty("params").GetProperty("dimension").GetInt32());
                Assert.Equal("euclidean", summary.GetProperty("params").GetProperty("distance").GetString());
                Assert.Equal(name == names[1] ? 1 : 0, summary.GetProperty("length").GetInt32());
                Assert.Single(summary.GetProperty("silos").EnumerateArray());
                Assert.False(summary.TryGetProperty("error", out _));
            }
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);
        Assert.Equal(3, pages);
        Assert.Equal(names, seen);
    }
}
