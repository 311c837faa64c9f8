using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Vectord.Client;

/// <summary>
/// What the standard resilience handler repeats: only reads (a GET, a search, a batch of searches, a query, a count),
/// which <see cref="VectordClient"/> marks with <see cref="Read"/>, and only after a 503 or a transport error
/// (connection refused or reset, an attempt that timed out). A write (create, add, delete, merge) is sent once:
/// repeating it could answer differently (409, 404) or apply twice what its caller counts once.
/// </summary>
internal static class VectordRetries
{
    /// <summary>Set on a request that may be repeated.</summary>
    public static readonly HttpRequestOptionsKey<bool> Read = new("Vectord.Read");

    /// <summary>Sets timeouts, retries and the circuit breaker from the client's options.</summary>
    public static void Configure(HttpStandardResilienceOptions resilience, VectordClientOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.Timeout;
        resilience.TotalRequestTimeout.Timeout = options.Timeout * (options.MaxRetries + 2);
        resilience.CircuitBreaker.SamplingDuration = options.Timeout * 2;
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.Retry.MaxRetryAttempts = Math.Max(options.MaxRetries, 1);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
            options.MaxRetries > 0 && IsRead(args.Context) && IsTransient(args.Outcome));
    }

    /// <summary>A failure that says nothing was done and a later attempt may succeed.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable;

    private static bool IsRead(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(Read, out bool read) && read;
}
