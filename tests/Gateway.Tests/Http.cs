using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vectord.Gateway.Tests;

/// <summary>An HTTP answer read whole.</summary>
public sealed record Reply(HttpStatusCode Status, string? MediaType, string Body, HttpResponseHeaders Headers)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> and a machine-readable <c>code</c>, and
    /// returns its detail.</summary>
    public string AssertProblem(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("application/problem+json", MediaType);
        var json = Json;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.True(json.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }, $"no code in {Body}");
        return json.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> and <paramref name="code"/>, and returns
    /// its detail.</summary>
    public string AssertProblem(HttpStatusCode status, string code)
    {
        string detail = AssertProblem(status);
        Assert.Equal(code, Json.GetProperty("code").GetString());
        return detail;
    }

    /// <summary>Asserts a JSON answer with <paramref name="status"/>.</summary>
    public JsonElement AssertJson(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("application/json", MediaType);
        return Json;
    }
}

/// <summary>Small request helpers: bodies are written as raw JSON text so tests control every byte.</summary>
public static class Http
{
    /// <summary>Sends a request with an optional raw JSON body.</summary>
    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, string? json = null,
        string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers);
    }

    /// <summary>POST with a raw JSON body.</summary>
    public static Task<Reply> PostReplyAsync(this HttpClient client, string path, string? json) => client.SendAsync(HttpMethod.Post, path, json);

    /// <summary>GET.</summary>
    public static Task<Reply> GetReplyAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);

    /// <summary>DELETE.</summary>
    public static Task<Reply> DeleteReplyAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates an index and asserts 201.</summary>
    public static async Task<JsonElement> CreateIndexAsync(this HttpClient client, string name, int dimension, string distance = "cosine")
    {
        var reply = await client.PostReplyAsync("/vectors/index", $$"""{"name":"{{name}}","dimension":{{dimension}},"distance":"{{distance}}"}""");
        return reply.AssertJson(HttpStatusCode.Created);
    }

    /// <summary>The index's length (asserts 200).</summary>
    public static async Task<int> LengthAsync(this HttpClient client, string name)
    {
        var reply = await client.GetReplyAsync($"/vectors/index/{name}");
        return reply.AssertJson(HttpStatusCode.OK).GetProperty("length").GetInt32();
    }

    /// <summary>The index names (asserts 200).</summary>
    public static async Task<string[]> NamesAsync(this HttpClient client)
    {
        var json = (await client.GetReplyAsync("/vectors/index")).AssertJson(HttpStatusCode.OK);
        return [.. json.GetProperty("names").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>A fresh index name for one test.</summary>
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
