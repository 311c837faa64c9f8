using System.Diagnostics;
using System.Net.Http.Json;

namespace Vectord.Bench.Cluster;

/// <summary>
/// A steady stream of searches through the gateway: one is sent every 1/<c>rate</c> s whether or not the previous
/// ones were answered (as independent callers would), each with its own deadline. Records when each was answered and
/// whether it succeeded, for the failure count and the longest time without an answer.
/// </summary>
internal sealed class SearchLoop(HttpClient http, string index, float[][] queries, int rate)
{
    private readonly List<(double SentAt, double AnsweredAt, bool Ok, string? Failure)> _results = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Seconds since the loop was created.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Sends searches until <paramref name="stop"/> is cancelled (at most <c>rate</c> × 3600), then waits for
    /// the ones in flight.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var inFlight = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < rate * 3600 && !stop.IsCancellationRequested; i++)
        {
            inFlight.Add(SearchAsync(queries[i % queries.Length]));
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private async Task SearchAsync(float[] query)
    {
        var sent = Now;
        bool ok;
        string? failure = null;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var response = await http.PostAsJsonAsync($"vectors/index/{index}/search", new { vector = query, k = 10 }, deadline.Token).ConfigureAwait(false);
            ok = response.IsSuccessStatusCode;
            if (!ok) { failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)}"; }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            ok = false;
            failure = e.GetType().Name + ": " + e.Message;
        }
        lock (_results) { _results.Add((sent, Now, ok, failure)); }
    }

    /// <summary>The searches sent between <paramref name="from"/> and <paramref name="to"/> that took longer than
    /// <paramref name="slowerThan"/> seconds or failed: when each was sent and answered (clock time), and how.</summary>
    public IEnumerable<string> Slow(double from, double to, double slowerThan)
    {
        var origin = DateTime.Now - _clock.Elapsed;
        lock (_results)
        {
            return [.. _results.Where(r => r.SentAt >= from && r.SentAt <= to && (!r.Ok || r.AnsweredAt - r.SentAt > slowerThan)).OrderBy(r => r.SentAt)
                .Select(r => FormattableString.Invariant($"{origin.AddSeconds(r.SentAt):HH:mm:ss.fff} +{r.AnsweredAt - r.SentAt:F3} s {(r.Ok ? "ok" : r.Failure)}"))];
        }
    }

    /// <summary>What happened to the searches sent between <paramref name="from"/> and <paramref name="to"/> (seconds
    /// of <see cref="Now"/>).</summary>
    public LoopSummary Summarize(double from, double to)
    {
        List<(double SentAt, double AnsweredAt, bool Ok, string? Failure)> window;
        lock (_results) { window = [.. _results.Where(r => r.SentAt >= from && r.SentAt <= to)]; }
        var answers = window.Where(r => r.Ok).Select(r => r.AnsweredAt).Order().ToArray();
        var gap = 0.0;
        for (var i = 1; i < answers.Length; i++) { gap = Math.Max(gap, answers[i] - answers[i - 1]); }
        var latencies = window.Where(r => r.Ok).Select(r => r.AnsweredAt - r.SentAt).Order().ToArray();
        return new LoopSummary(window.Count, window.Count(r => !r.Ok), gap,
            latencies.Length == 0 ? 0 : latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(latencies.Length * 0.99) - 1)],
            latencies.Length == 0 ? 0 : latencies[^1], window.FirstOrDefault(r => !r.Ok).Failure);
    }
}

/// <summary>Searches of a window: sent, failed, the longest time between two answers, the 99th percentile and the
/// slowest answer (seconds), and the first failure's description.</summary>
internal sealed record LoopSummary(int Sent, int Failed, double LongestGap, double P99, double Slowest, string? FirstFailure);
