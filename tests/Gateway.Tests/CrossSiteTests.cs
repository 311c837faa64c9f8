using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>What a page of another site can make a browser send (no-cors requests: no JSON content type, or a
/// foreign <c>Origin</c> / <c>Sec-Fetch-Site: cross-site</c>) is refused and changes nothing, on a node with
/// authentication off; the same requests from the node's own origin still work.</summary>
public sealed class CrossSiteTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    public static TheoryData<string, string?> BodilessTypes => new()
    {
        { "none", null },
        { "text/plain", "text/plain;charset=UTF-8" },
        { "form", "application/x-www-form-urlencoded" },
        { "multipart", "multipart/form-data; boundary=x" },
    };

    [Theory]
    [MemberData(nameof(BodilessTypes))]
    public async Task A_write_whose_body_is_not_declared_json_is_415_and_changes_nothing(string label, string? contentType)
    {
        string name = await IndexWithTwoItemsAsync(label);
        string dest = Http.NewName("dest");
        foreach (var (path, body) in new[]
        {
            ($"/vectors/index/{name}/delete", """{"filter":{}}"""),
            ($"/vectors/index/{name}/add", """{"items":[{"id":"c","vector":[1,1]}]}"""),
            ("/vectors/index", $$"""{"name":"{{dest}}","dimension":2}"""),
            ($"/vectors/index/{name}/merge", $$"""{"dest":"{{name}}"}"""),
            ($"/vectors/index/{name}/search", """{"vector":[1,0]}"""),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            if (contentType is not null) { request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType); }
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            string answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{path}: {(int)response.StatusCode} {answer}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Content-Type must be application/json", answer, StringComparison.Ordinal);
        }
        Assert.Equal(2, await _http.LengthAsync(name));
        Assert.DoesNotContain(dest, await _http.NamesAsync());
    }

    [Fact]
    public async Task A_restore_must_declare_octet_stream()
    {
        string target = Http.NewName("restored");
        using var content = new ByteArrayContent(new byte[64]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await _http.PostAsync($"/vectors/snapshots/restore?index={target}", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/octet-stream", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ForeignBrowsers => new()
    {
        { "foreign origin", "Origin", "http://evil.example" },
        { "null origin", "Origin", "null" },
        { "same host, other port", "Origin", "http://127.0.0.1:1" },
        { "cross-site", "Sec-Fetch-Site", "cross-site" },
        { "same-site", "Sec-Fetch-Site", "same-site" },
    };

    [Theory]
    [MemberData(nameof(ForeignBrowsers))]
    public async Task A_write_sent_by_another_site_is_403_and_changes_nothing(string label, string header, string value)
    {
        string name = await IndexWithTwoItemsAsync(label.Replace(' ', '-').Replace(",", "", StringComparison.Ordinal));
        string dest = Http.NewName("dest");
        var requests = new (HttpMethod Method, string Path, string? Json)[]
        {
            (HttpMethod.Post, $"/vectors/index/{name}/delete", """{"filter":{}}"""),
            (HttpMethod.Post, "/vectors/index", $$"""{"name":"{{dest}}","dimension":2}"""),
            (HttpMethod.Post, $"/vectors/index/{name}/snapshots", null),
            (HttpMethod.Delete, $"/vectors/index/{name}/items/a", null),
            (HttpMethod.Delete, $"/vectors/index/{name}", null),
        };
        foreach (var (method, path, json) in requests)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null) { request.Content = new StringContent(json, Encoding.UTF8, "application/json"); }
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            string answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {answer}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(2, await _http.LengthAsync(name));
        Assert.DoesNotContain(dest, await _http.NamesAsync());
        Assert.Equal(0, (await _http.GetReplyAsync($"/vectors/index/{name}/snapshots")).AssertJson(HttpStatusCode.OK)
            .GetProperty("snapshots").GetArrayLength());
    }

    [Fact]
    public async Task Requests_from_the_node_own_origin_and_reads_from_anywhere_are_served()
    {
        string name = await IndexWithTwoItemsAsync("own");
        string own = node.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        foreach (var (header, value) in new[] { ("Origin", own), ("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Site", "none") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/vectors/index/{name}/snapshots");
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/vectors/index/{name}");
        read.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");
        read.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
        using var answer = await _http.SendAsync(read, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private async Task<string> IndexWithTwoItemsAsync(string label)
    {
        string name = Http.NewName("xsite-" + label.Replace('/', '-'));
        await _http.CreateIndexAsync(name, 2);
        (await _http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]},{"id":"b","vector":[0,1]}]}"""))
            .AssertJson(HttpStatusCode.OK);
        return name;
    }
}
