using Vectord.Bench.Common;

namespace Vectord.Bench.Tests;

public sealed class TimingTests
{
    [Fact]
    public void Warm_up_cycles_over_the_items_until_both_minimums_are_met()
    {
        var seen = new List<int>();

        Timing.WarmUp(seen.Add, items: 3, minCalls: 7, minSeconds: 0);

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], seen);
    }

    [Fact]
    public void Warm_up_runs_for_at_least_the_minimum_time_and_stops_at_the_maximum()
    {
        var calls = 0;
        var (_, seconds) = Timing.Measure(() =>
        {
            Timing.WarmUp(_ => { calls++; Thread.Sleep(1); }, items: 1, minCalls: 1, minSeconds: 0.05);
            return 0;
        });
        Assert.InRange(seconds, 0.05, 5);
        Assert.True(calls >= 1);

        // The count side, without a clock: with no minimum time it stops after exactly the minimum calls. (Asserting
        // more than one call above assumed a 1 ms sleep returns within 50 ms, which a loaded machine does not keep.)
        var counted = 0;
        Timing.WarmUp(_ => counted++, items: 1, minCalls: 5, minSeconds: 0);
        Assert.Equal(5, counted);

        var (_, capped) = Timing.Measure(() =>
        {
            Timing.WarmUp(_ => Thread.Sleep(1), items: 1, minCalls: int.MaxValue, minSeconds: 0, maxSeconds: 0.05);
            return 0;
        });
        Assert.InRange(capped, 0.05, 5);
    }

    [Fact]
    public void Peak_working_set_is_at_least_the_managed_heap()
    {
        var buffer = new byte[32 << 20];
        Array.Fill(buffer, (byte)1);

        Assert.True(Timing.PeakWorkingSetBytes() >= buffer.Length);
        GC.KeepAlive(buffer);
    }
}
