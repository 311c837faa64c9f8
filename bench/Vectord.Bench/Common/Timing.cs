using System.Diagnostics;

namespace Vectord.Bench.Common;

/// <summary>Wall-clock measurement helpers.</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> once and returns the elapsed seconds.</summary>
    public static double Seconds(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Runs <paramref name="func"/> once and returns its result and the elapsed seconds.</summary>
    public static (T Result, double Seconds) Measure<T>(Func<T> func)
    {
        var start = Stopwatch.GetTimestamp();
        var result = func();
        return (result, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>
    /// Calls <paramref name="run"/> with 0, 1, 2, ... (modulo <paramref name="items"/>) until it ran at least
    /// <paramref name="minCalls"/> times and for at least <paramref name="minSeconds"/>, or for
    /// <paramref name="maxSeconds"/>. Tiered compilation recompiles hot methods with full optimisation only after
    /// about 30 calls and a short delay, so a fixed handful of calls leaves the timed pass on unoptimised code.
    /// </summary>
    public static void WarmUp(Action<int> run, int items, int minCalls, double minSeconds, double maxSeconds = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        var start = Stopwatch.GetTimestamp();
        for (var calls = 0; ; calls++)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if ((calls >= minCalls && elapsed >= minSeconds) || elapsed >= maxSeconds)
            {
                return;
            }
            run(calls % items);
        }
    }

    /// <summary>Full blocking collection, so garbage from the previous phase is not charged to the next one.</summary>
    public static void SettleMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>The process's peak resident set so far, in bytes.</summary>
    public static long PeakWorkingSetBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
