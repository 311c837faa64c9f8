using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Vectord.Contracts;

namespace Vectord.Client;

/// <summary>
/// What the standard resilience handler repeats: only reads (a GET, a search, a batch of searches, a query, a count),
/// which <see cref="VectordClient"/> marks with <see cref="Read"/>, and only after a 503 or a transport error
/// (connection refused or reset, an attempt that timed out). A 503 whose code is <c>filter_timeout</c> is not
/// repeated: the node gave up a filter that ran past its time limit, and the same filter would again. A write (create, add, delete, merge) is sent once:
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
        resilience.CircuitBreaker.ShouldHandle = args => IsTransientAsync(args.Outcome, args.Context.CancellationToken);
        resilience.Retry.MaxRetryAttempts = Math.Max(options.MaxRetries, 1);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldHandle = async args =>
            options.MaxRetries > 0 && IsRead(args.Context) && await IsTransientAsync(args.Outcome, args.Context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failure that says nothing was done and a later attempt may succeed.</summary>
    private static async ValueTask<bool> IsTransientAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is HttpRequestException or TimeoutRejectedException) { return true; }
        if (outcome.Result is not { StatusCode: HttpStatusCode.ServiceUnavailable } response) { return false; }
        // Reading the answer buffers it: the caller still reads it whole.
        Problem problem = await ProblemAnswers.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return problem.Code != ProblemCodes.FilterTimeout;
    }

    private static bool IsRead(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(Read, out bool read) && read;
}
