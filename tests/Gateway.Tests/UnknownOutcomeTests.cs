using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Vectord.Gateway.Infrastructure;

namespace Vectord.Gateway.Tests;

/// <summary>A call that outlived its deadline may still take effect, so it is a 504 without <c>Retry-After</c>: a
/// 503 elsewhere promises that nothing changed, which a timeout cannot.</summary>
public sealed class UnknownOutcomeTests
{
    [Fact]
    public async Task A_grain_call_timing_out_is_504_with_no_retry_after_and_no_internal_text()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new VectordExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<VectordExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-1" };
        context.Response.Body = new MemoryStream();
        // What an Orleans call past its response timeout throws, with the silo's address in its text.
        var timeout = new TimeoutException("Response did not arrive on time in 00:00:30 for message: Request S127.0.0.1:11111:0 -> index/late");

        Assert.True(await handler.TryHandleAsync(context, timeout, TestContext.Current.CancellationToken));

        Assert.Equal(StatusCodes.Status504GatewayTimeout, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        context.Response.Body.Position = 0;
        var body = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.Equal(VectordExceptionHandler.UnknownOutcome, body.GetProperty("detail").GetString());
        Assert.Equal("trace-1", body.GetProperty("traceId").GetString());
        Assert.DoesNotContain("127.0.0.1", body.GetRawText(), StringComparison.Ordinal);
    }
}
