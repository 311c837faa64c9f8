using Vectord.Grains.Replicas;

namespace Vectord.Grains.Tests;

/// <summary>How a read uses the copies of a part (<see cref="CopyReads"/>), with copies simulated by functions: spread,
/// failover, hedging and the failures that end a read at once.</summary>
public sealed class CopyReadsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Reads_spread_evenly_over_the_copies()
    {
        var reads = new CopyReads(3, new CopyReadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        var served = new int[3];
        for (var i = 0; i < 300; i++)
        {
            await reads.RunAsync((copy, _) => { Interlocked.Increment(ref served[copy]); return Task.FromResult(copy); }, null, None);
        }
        Assert.All(served, count => Assert.Equal(100, count));
    }

    [Fact]
    public async Task A_copy_that_failed_is_not_tried_first_while_suspected()
    {
        var reads = new CopyReads(3, new CopyReadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        var firstTried = new int[3];
        for (var i = 0; i < 30; i++)
        {
            var tried = new List<int>();
            await reads.RunAsync((copy, _) =>
            {
                lock (tried) { tried.Add(copy); }
                return copy == 1 ? Task.FromException<int>(new Orleans.Runtime.SiloUnavailableException("gone")) : Task.FromResult(copy);
            }, null, None);
            firstTried[tried[0]]++;
        }
        // Copy 1 failed once, and is not tried first again while suspected: the others share the reads.
        Assert.True(firstTried[1] <= 1, $"copy 1 was tried first {firstTried[1]} times");
        Assert.Equal(30, firstTried[0] + firstTried[1] + firstTried[2]);
        Assert.InRange(firstTried[0], 12, 17);
    }

    [Fact]
    public async Task A_copy_that_fails_is_replaced_by_another_inside_the_same_read()
    {
        var reads = new CopyReads(2, new CopyReadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        for (var i = 0; i < 20; i++)
        {
            var answer = await reads.RunAsync((copy, _) => copy == 0
                ? Task.FromException<int>(new Orleans.Runtime.SiloUnavailableException("gone"))
                : Task.FromResult(copy), null, None);
            Assert.Equal(1, answer);
        }
    }

    [Fact]
    public async Task A_copy_that_does_not_answer_is_hedged_by_the_next_and_the_loser_cancelled()
    {
        var reads = new CopyReads(2, new CopyReadOptions(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(20)));
        var cancelled = new TaskCompletionSource();
        var answer = await reads.RunAsync(async (copy, token) =>
        {
            if (copy == 1) { return 1; }
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }
            return 0;
        }, 0, None);
        Assert.Equal(1, answer);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_failure_of_the_request_itself_is_not_retried_on_other_copies()
    {
        var reads = new CopyReads(3, new CopyReadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        var calls = 0;
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => reads.RunAsync<int>((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromException<int>(new InvalidIndexArgumentException("bad"));
        }, null, None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Copies_still_loading_are_tried_again_until_one_is_ready()
    {
        var reads = new CopyReads(2, new CopyReadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        var attempts = 0;
        var answer = await reads.RunAsync((copy, _) => Interlocked.Increment(ref attempts) <= 4
            ? Task.FromException<int>(new CopyNotReadyException("loading"))
            : Task.FromResult(copy), null, None);
        Assert.InRange(answer, 0, 1);
        Assert.Equal(5, attempts);
    }

    [Fact]
    public async Task When_no_copy_answers_within_the_limit_the_read_fails_as_unavailable()
    {
        var reads = new CopyReads(2, new CopyReadOptions(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300)));
        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => reads.RunAsync<int>((_, _) =>
            Task.FromException<int>(new CopyNotReadyException("loading")), null, None));
        Assert.Contains("loading", failure.Message, StringComparison.Ordinal);
    }
}
