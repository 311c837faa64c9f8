using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>A tiny real Kestrel server on a free loopback port whose every request is answered by one delegate:
/// for answers a real node does not give on demand (a 503 twice, then success; any status). It records what it
/// received.</summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri address, ConcurrentQueue<Received> requests)
    {
        _app = app;
        Address = address;
        Requests = requests;
    }

    /// <summary>Where it listens (with a trailing slash).</summary>
    public Uri Address { get; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; }

    /// <summary>Starts a server answering with <paramref name="answer"/>, which is given the number of the request
    /// (1 for the first).</summary>
    public static async Task<StubServer> StartAsync(Func<HttpContext, int, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        var app = builder.Build();
        var requests = new ConcurrentQueue<Received>();
        int count = 0;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            requests.Enqueue(new Received(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(), body.ToArray()));
            await answer(context, Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        return new StubServer(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"), requests);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Writes a ProblemDetails answer as the gateway does.</summary>
    public static Task ProblemAsync(HttpContext context, int status, string detail, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new Dictionary<string, object> { ["status"] = status, ["title"] = "t", ["detail"] = detail };
        if (code is not null) { problem["code"] = code; }
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(problem));
    }

    /// <summary>Writes a JSON answer.</summary>
    public static Task JsonAsync(HttpContext context, string json)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    /// <summary>One request as received.</summary>
    public sealed record Received(string Method, string Path, string Authorization, byte[] Body);
}
