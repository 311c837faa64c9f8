using Microsoft.Extensions.Options;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// How much of a node's memory and connections HTTP callers may hold at once (configuration section <c>Limits</c>).
/// Together with the per-item caps (<see cref="ItemLimits"/>) they bound what requests can take: connections and
/// their headers, bodies that trickle in, and the requests in progress. Validated at start.
/// </summary>
public sealed class GatewayLimits
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Limits";

    /// <summary>Largest body of a search: a query vector of the largest dimension written out in full fits.</summary>
    public long MaxSearchBodyBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Index requests (<c>/vectors/...</c>) in progress at once on this node, reads and writes each; more wait
    /// in a queue.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Index requests that may wait for a free slot, reads and writes each; beyond them a request is refused at
    /// once with 503.</summary>
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>Open connections at once; further connections are refused until one closes.</summary>
    public long MaxConnections { get; set; } = 1024;

    /// <summary>Time a client has to send a request's headers.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest a body may arrive, in bytes per second, once <see cref="MinBodyRateGracePeriod"/> has passed;
    /// a slower client is cut off (408).</summary>
    public double MinBodyBytesPerSecond { get; set; } = 16 * 1024;

    /// <summary>Time a body may arrive more slowly than <see cref="MinBodyBytesPerSecond"/> before the rate counts.</summary>
    public TimeSpan MinBodyRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time the whole of a body may take to arrive, however fast it trickles (408 after).</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Refuses limits that would stop the node serving or leave a limit off (zero, negative, a search cap
/// above the body cap, a grace period Kestrel cannot honour), naming the setting.</summary>
internal sealed class GatewayLimitsValidator : IValidateOptions<GatewayLimits>
{
    public ValidateOptionsResult Validate(string? name, GatewayLimits options)
    {
        var failures = new List<string>();
        void Require(bool ok, string setting, string rule)
        {
            if (!ok) { failures.Add($"{GatewayLimits.SectionName}:{setting} must be {rule}"); }
        }
        Require(options.MaxSearchBodyBytes is >= 4096 and <= ItemLimits.MaxRequestBodyBytes,
            nameof(GatewayLimits.MaxSearchBodyBytes), $"between 4096 and {ItemLimits.MaxRequestBodyBytes}");
        Require(options.MaxConcurrentRequests > 0, nameof(GatewayLimits.MaxConcurrentRequests), "at least 1");
        Require(options.MaxQueuedRequests >= 0, nameof(GatewayLimits.MaxQueuedRequests), "0 or more");
        Require(options.MaxConnections > 0, nameof(GatewayLimits.MaxConnections), "at least 1");
        Require(options.HeadersTimeout > TimeSpan.Zero, nameof(GatewayLimits.HeadersTimeout), "a positive time");
        Require(options.MinBodyBytesPerSecond > 0, nameof(GatewayLimits.MinBodyBytesPerSecond), "positive");
        // Kestrel checks rates once a second: a shorter grace period would never let a body start.
        Require(options.MinBodyRateGracePeriod > TimeSpan.FromSeconds(1), nameof(GatewayLimits.MinBodyRateGracePeriod), "more than 1 second");
        Require(options.BodyReadTimeout > TimeSpan.Zero, nameof(GatewayLimits.BodyReadTimeout), "a positive time");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
