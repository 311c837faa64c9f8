using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>Health, OpenAPI, the API page and Prometheus metrics.</summary>
public sealed class ServiceApiTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Health_is_200_with_the_active_silos()
    {
        var json = (await _http.GetReplyAsync("/health")).AssertJson(HttpStatusCode.OK);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal(1, json.GetProperty("silos").GetInt32());
    }

    [Fact]
    public async Task OpenApi_document_lists_every_route_with_its_errors()
    {
        var doc = (await _http.GetReplyAsync("/openapi/v1.json")).AssertJson(HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");
        (string Path, string Method, string[] Statuses)[] expected =
        [
            ("/vectors/index", "post", ["201", "400", "409", "413"]),
            ("/vectors/index", "get", ["200"]),
            ("/vectors/index/{name}", "get", ["200", "404"]),
            ("/vectors/index/{name}", "delete", ["204", "404"]),
            ("/vectors/index/{name}/shards", "get", ["200", "404"]),
            ("/vectors/index/{name}/add", "post", ["200", "400", "404", "413", "503", "504", "507"]),
            ("/vectors/index/{name}/search", "post", ["200", "400", "404"]),
            ("/vectors/index/{name}/search/batch", "post", ["200", "400", "404", "413"]),
            ("/vectors/index/{name}/items/query", "post", ["200", "400", "404", "413"]),
            ("/vectors/index/{name}/count", "post", ["200", "400", "404", "413"]),
            ("/vectors/index/{name}/delete", "post", ["200", "400", "404"]),
            ("/vectors/index/{name}/merge", "post", ["200", "400", "404"]),
            ("/vectors/index/{name}/items", "get", ["200", "404"]),
            ("/vectors/index/{name}/items/{id}", "get", ["200", "404"]),
            ("/vectors/index/{name}/items/{id}", "delete", ["204", "404"]),
            ("/health", "get", ["200", "503"]),
            ("/auth/whoami", "get", ["200", "401"]),
            ("/cluster/silos", "get", ["200", "401", "503"]),
            ("/cluster/indexes", "get", ["200", "401", "503"]),
        ];
        foreach (var (path, method, statuses) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} missing");
            var responses = operation.GetProperty("responses");
            foreach (string status in statuses)
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} lacks response {status}");
            }
        }
        // Request bodies use the snake_case contract names.
        Assert.Contains("ef_search", doc.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("skipped_already_present", doc.GetRawText(), StringComparison.Ordinal);
        // The filter routes' bodies and answers are described by their own schemas.
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (string schema in new[] { "SearchBatchRequest", "SearchBatchResponse", "ItemQueryRequest", "ItemQueryResponse", "CountRequest", "CountResponse" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"schema {schema} missing from the OpenAPI document");
        }
        Assert.True(schemas.GetProperty("SearchRequest").GetProperty("properties").TryGetProperty("filter", out _));
        Assert.True(schemas.GetProperty("DeleteItemsRequest").GetProperty("properties").TryGetProperty("filter", out _));
    }

    [Fact]
    public async Task Scalar_page_is_served()
    {
        var reply = await _http.GetReplyAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/html", reply.MediaType);
    }

    [Fact]
    public async Task Metrics_expose_request_and_vectord_instruments()
    {
        string name = Http.NewName("metrics");
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        (await _http.PostReplyAsync($"/vectors/index/{name}/search", """{"vector":[1,0]}""")).AssertJson(HttpStatusCode.OK);

        string text = await MetricsAsync();
        // The index's own series, reported by the silo holding it: exact, whatever other tests do meanwhile.
        Assert.Equal(2, Sample(text, "vectord_index_vectors", name));
        Assert.True(Sample(text, "vectord_index_bytes", name) > 0, text);
        Assert.Contains("vectord_items_added_total", text, StringComparison.Ordinal);
        Assert.Contains("vectord_wal_bytes_total", text, StringComparison.Ordinal);
        Assert.Contains("vectord_search_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/vectors/index/{name}/search\"", text, StringComparison.Ordinal);
        // The gateway's former approximations are gone.
        Assert.DoesNotContain("vectord_vectors", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vectord_indexes", text, StringComparison.Ordinal);

        (await _http.PostReplyAsync($"/vectors/index/{name}/delete", """{"ids":["a"]}""")).AssertJson(HttpStatusCode.OK);
        string after = await MetricsAsync();
        Assert.True(Sample(after, "vectord_index_vectors", name) == 1, string.Join('\n', after.Split('\n').Where(l => l.StartsWith("vectord_index_vectors", StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteReplyAsync($"/vectors/index/{name}")).Status);
        Assert.Null(Sample(await MetricsAsync(), "vectord_index_vectors", name));
    }

    private async Task<string> MetricsAsync()
    {
        var reply = await _http.GetReplyAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body;
    }

    /// <summary>The value of <paramref name="metric"/> for <paramref name="index"/>, shard 0; null when absent.</summary>
    internal static double? Sample(string text, string metric, string index)
    {
        string line = text.Split('\n').FirstOrDefault(l => l.StartsWith(metric + "{", StringComparison.Ordinal)
            && l.Contains($"index=\"{index}\"", StringComparison.Ordinal) && l.Contains("shard=\"0\"", StringComparison.Ordinal)) ?? "";
        return line.Length == 0 ? null : double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Two nodes in one process: each exports only the index parts of its own silo.</summary>
public sealed class MetricsIsolationTests(NodeFixture node)
{
    [Fact]
    public async Task A_node_exports_only_its_own_parts_and_another_node_stopping_does_not_disturb_them()
    {
        string mine = Http.NewName("mine");
        await node.Http.CreateIndexAsync(mine, 2);
        (await node.Http.PostReplyAsync($"/vectors/index/{mine}/add", """{"items":[{"id":"a","vector":[1,0]}]}""")).AssertJson(HttpStatusCode.OK);

        using var data = new Vectord.Testing.TempDirectory("vectord-gw");
        string theirs = Http.NewName("theirs");
        await using (var other = await VectordServer.StartAsync(data.Path))
        {
            await other.Client.CreateIndexAsync(theirs, 2);
            (await other.Client.PostReplyAsync($"/vectors/index/{theirs}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}"""))
                .AssertJson(HttpStatusCode.OK);
            string otherText = (await other.Client.GetReplyAsync("/metrics")).Body;
            Assert.Equal(2, ServiceApiTests.Sample(otherText, "vectord_index_vectors", theirs));
            Assert.Null(ServiceApiTests.Sample(otherText, "vectord_index_vectors", mine));
            string myText = (await node.Http.GetReplyAsync("/metrics")).Body;
            Assert.Equal(1, ServiceApiTests.Sample(myText, "vectord_index_vectors", mine));
            Assert.Null(ServiceApiTests.Sample(myText, "vectord_index_vectors", theirs));
        }

        // The other node's meter is gone; this node's series are still exported.
        string after = (await node.Http.GetReplyAsync("/metrics")).Body;
        Assert.Equal(1, ServiceApiTests.Sample(after, "vectord_index_vectors", mine));
    }
}
