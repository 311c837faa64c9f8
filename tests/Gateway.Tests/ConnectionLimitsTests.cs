using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>A node with tight limits: one index read and one write at a time and none queued, bodies that must arrive at
/// 100 B/s after a 2 s grace period and whole within 4 s.</summary>
public sealed class LimitedNodeFixture() : NodeFixture(new()
{
    ["Limits:MaxConcurrentRequests"] = "1",
    ["Limits:MaxQueuedRequests"] = "0",
    ["Limits:MinBodyBytesPerSecond"] = "100",
    ["Limits:MinBodyRateGracePeriod"] = "00:00:02",
    ["Limits:BodyReadTimeout"] = "00:00:04",
});

/// <summary>Slow clients are cut off, and requests beyond the node's limit are shed with 503 instead of held.</summary>
public sealed class ConnectionLimitsTests(LimitedNodeFixture node) : IClassFixture<LimitedNodeFixture>
{
    /// <summary>What the limiter is asked about: an index write (reads have slots of their own).</summary>
    private static readonly DefaultHttpContext WriteRequest = new() { Request = { Method = "POST", Path = "/vectors/index/x/add" } };

    private readonly VectordServer _server = node.Server;

    /// <summary>The limiter the node's rate-limiting middleware holds: its statistics tell whether the one slot is taken.</summary>
    private readonly PartitionedRateLimiter<HttpContext> _limiter =
        node.Server.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;

    [Fact]
    public async Task A_body_trickling_below_the_minimum_rate_is_cut_off_and_meanwhile_other_requests_are_shed_with_503()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = Http.NewName("slow");
        await CreateIndexAsync(name, ct);
        // The refused request must go out while the upload holds the slot, within its 2 s grace period; on a node too
        // slow for that, the upload is cut off first and the request served, so it is tried again a few times.
        TcpClient? slow = null;
        Task trickle = Task.CompletedTask;
        Reply? shed = null;
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 5 && shed is null; attempt++)
        {
            slow?.Dispose();
            await WaitForFreeSlotAsync(ct);
            slow = await SlowUploadAsync(name, 100_000, ct);
            clock.Restart();
            // 5 bytes every 500 ms (10 B/s), far below the 100 B/s minimum.
            trickle = TrickleAsync(slow.GetStream(), chunk: 5, every: TimeSpan.FromMilliseconds(500), ct);
            // While it holds the write slot, another write is refused at once; health is never held back.
            if (await Eventually.HoldsAsync(() => FreeSlots() == 0, TimeSpan.FromSeconds(1.5), ct)
                && await _server.Client.PostReplyAsync($"/vectors/index/{name}/delete", "{\"ids\":[\"absent\"]}") is { Status: HttpStatusCode.ServiceUnavailable } reply)
            {
                shed = reply;
            }
        }
        using var upload = slow!;
        Assert.NotNull(shed);
        Assert.Equal("the node is at its limit of requests in progress; nothing was changed, retry later", shed.AssertProblem(HttpStatusCode.ServiceUnavailable));
        Assert.Equal("1", shed.Headers.RetryAfter?.ToString());
        (await _server.Client.GetReplyAsync("/health")).AssertJson(HttpStatusCode.OK);

        string answer = await ReadUntilClosedAsync(upload.GetStream(), TimeSpan.FromSeconds(20), ct);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"cut off only after {clock.Elapsed}");
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        await trickle;

        // The slot is free again, and nothing of the slow body was applied.
        await WaitForFreeSlotAsync(ct);
        Assert.Equal(0, await _server.Client.LengthAsync(name));
    }

    [Fact]
    public async Task Reads_are_served_while_a_write_holds_every_write_slot()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = Http.NewName("reads");
        await CreateIndexAsync(name, ct);
        await WaitForFreeSlotAsync(ct);
        using var slow = await SlowUploadAsync(name, 100_000, ct);
        var trickle = TrickleAsync(slow.GetStream(), chunk: 50, every: TimeSpan.FromMilliseconds(100), ct);
        Assert.True(await Eventually.HoldsAsync(() => FreeSlots() == 0, TimeSpan.FromSeconds(5), ct), "the upload did not take the write slot");

        // The one write slot is taken: a read still gets its own, a search and a get of the index alike.
        (await _server.Client.GetReplyAsync($"/vectors/index/{name}")).AssertJson(HttpStatusCode.OK);
        var search = await _server.Client.PostReplyAsync($"/vectors/index/{name}/search", "{\"vector\":[0,0],\"k\":1}");
        Assert.True(search.Status == HttpStatusCode.OK, search.Body);
        Assert.Equal(0, FreeSlots());   // the upload still held it meanwhile

        slow.Close();
        await trickle;
        await WaitForFreeSlotAsync(ct);
    }

    [Fact]
    public async Task A_body_fast_enough_for_the_rate_but_not_whole_within_the_read_timeout_is_408()
    {
        var ct = TestContext.Current.CancellationToken;
        string name = Http.NewName("drip");
        await CreateIndexAsync(name, ct);
        await WaitForFreeSlotAsync(ct);
        using var slow = await SlowUploadAsync(name, 100_000, ct);
        var clock = Stopwatch.StartNew();
        // 50 bytes every 100 ms (500 B/s): above the minimum rate, but 100 kB would take 200 s.
        var trickle = TrickleAsync(slow.GetStream(), chunk: 50, every: TimeSpan.FromMilliseconds(100), ct);
        string answer = await ReadUntilAsync(slow.GetStream(),
            text => text.Contains("did not arrive", StringComparison.Ordinal) || text.StartsWith("HTTP/1.1 503", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), ct);
        var took = clock.Elapsed;
        slow.Close();
        await trickle;
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("the request body did not arrive within 4 s", answer, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));
        await WaitForFreeSlotAsync(ct);
        Assert.Equal(0, await _server.Client.LengthAsync(name));
    }

    [Theory]
    [InlineData("Limits:MaxConcurrentRequests", "0", "Limits:MaxConcurrentRequests must be at least 1")]
    [InlineData("Limits:MinBodyRateGracePeriod", "00:00:00.500", "Limits:MinBodyRateGracePeriod must be more than 1 second")]
    [InlineData("Limits:MaxSearchBodyBytes", "999999999", "Limits:MaxSearchBodyBytes must be between 4096 and 67108864")]
    public async Task Nonsense_limits_stop_start_up_naming_the_setting(string key, string value, string message)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Services.AddVectordGateway(builder.Configuration);
        // Kestrel reads the limits as the host is built, so the refusal may come from Build or from StartAsync.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync(TestContext.Current.CancellationToken);
        });
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Creates an index once the node's one slot is free.</summary>
    private async Task CreateIndexAsync(string name, CancellationToken ct)
    {
        await WaitForFreeSlotAsync(ct);
        await _server.Client.CreateIndexAsync(name, 2, "euclidean");
    }

    /// <summary>How many index writes the node would let start now.</summary>
    private long FreeSlots() => _limiter.GetStatistics(WriteRequest)?.CurrentAvailablePermits ?? 0;

    /// <summary>Waits until the node's one slot is free: a request gives it back just after its answer has gone, so
    /// the next request, sent at once, could otherwise be refused.</summary>
    private async Task WaitForFreeSlotAsync(CancellationToken ct) =>
        Assert.True(await Eventually.HoldsAsync(() => FreeSlots() == 1, TimeSpan.FromSeconds(15), ct), "the node's one slot was not given back within 15 s");

    /// <summary>A connection that has sent an add's headers, announcing <paramref name="length"/> bytes of body.</summary>
    private async Task<TcpClient> SlowUploadAsync(string name, int length, CancellationToken ct)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port, ct);
        string head = $"POST /vectors/index/{name}/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        return client;
    }

    /// <summary>Writes spaces in small chunks until the server closes the connection (bounded to 60 s).</summary>
    private static async Task TrickleAsync(NetworkStream stream, int chunk, TimeSpan every, CancellationToken ct)
    {
        var bytes = Encoding.ASCII.GetBytes(new string(' ', chunk));
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await stream.WriteAsync(bytes, ct);
                await Task.Delay(every, ct);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The server (or the test) closed the connection.
        }
    }

    private static Task<string> ReadUntilClosedAsync(NetworkStream stream, TimeSpan timeout, CancellationToken ct) =>
        ReadUntilAsync(stream, null, timeout, ct);

    /// <summary>What the server sends until it closes the connection, or until what arrived satisfies <paramref name="enough"/>.</summary>
    private static async Task<string> ReadUntilAsync(NetworkStream stream, Func<string, bool>? enough, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (enough is null || !enough(text.ToString()))
            {
                int read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0) { break; }
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server: the connection is closed.
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"the connection was still open after {timeout}; received: {text}");
        }
        return text.ToString();
    }
}
