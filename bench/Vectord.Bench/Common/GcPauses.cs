using System.Diagnostics.Tracing;

namespace Vectord.Bench.Common;

/// <summary>
/// Records this process's garbage-collection pauses while it is alive (from the runtime's own events: the suspension
/// of managed threads to their restart), so a latency outlier can be set beside the pauses that overlapped it.
/// </summary>
internal sealed class GcPauses : EventListener
{
    private const int SuspendBegin = 9;    // GCSuspendEEBegin_V1
    private const int RestartEnd = 3;      // GCRestartEEEnd_V1
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly List<(DateTime Start, TimeSpan Length)> _pauses = [];
    private DateTime? _suspended;

    /// <summary>The pauses recorded so far.</summary>
    public IReadOnlyList<(DateTime Start, TimeSpan Length)> Pauses
    {
        get { lock (_pauses) { return [.. _pauses]; } }
    }

    /// <summary>The longest pause that began at or after <paramref name="since"/>, in milliseconds.</summary>
    public double LongestSinceMs(DateTime since) =>
        Pauses.Where(p => p.Start >= since).Select(p => p.Length.TotalMilliseconds).DefaultIfEmpty(0).Max();

    /// <summary>Milliseconds of pause that overlapped the interval from <paramref name="start"/> for <paramref name="length"/>.</summary>
    public double OverlapMs(DateTime start, TimeSpan length)
    {
        var end = start + length;
        return Pauses.Sum(p =>
        {
            var from = p.Start > start ? p.Start : start;
            var to = p.Start + p.Length < end ? p.Start + p.Length : end;
            return to > from ? (to - from).TotalMilliseconds : 0;
        });
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") { EnableEvents(eventSource, EventLevel.Informational, GcKeyword); }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        lock (_pauses)
        {
            if (eventData.EventId == SuspendBegin) { _suspended = eventData.TimeStamp; }
            else if (eventData.EventId == RestartEnd && _suspended is { } start)
            {
                _pauses.Add((start, eventData.TimeStamp - start));
                _suspended = null;
            }
        }
    }
}
