namespace Vectord.Grains.Replicas;

/// <summary>
/// How a read of one part of a replicated index uses the part's copies: each read starts on the next copy in turn
/// (so reads spread evenly), and when that copy fails in a way another copy may not (its silo is gone, it is still
/// loading, its call timed out), or has not answered within the hedge delay, the same read is started on the next
/// copy; the first answer wins and the others are cancelled. A failure that any copy would give (a bad request, a
/// filter over its time limit) ends the read at once. Only when every copy has failed within the time limit does
/// the read fail, with <see cref="StorageUnavailableException"/>.
/// </summary>
/// <param name="hedgeAfter">How long a copy may take before the read is also started on the next one.</param>
/// <param name="limit">How long a read may go on trying copies before it fails.</param>
internal sealed class CopyReads(TimeSpan hedgeAfter, TimeSpan limit)
{
    private int _turn;

    /// <summary>Runs <paramref name="read"/> on copies 0 to <paramref name="copies"/> − 1 as described above.</summary>
    /// <param name="copies">How many copies the part has.</param>
    /// <param name="read">The read on copy i, cancelled when another copy answered first.</param>
    /// <param name="first">The copy to try first; null: the next in turn.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<T> RunAsync<T>(int copies, Func<int, CancellationToken, Task<T>> read, int? first, CancellationToken cancellationToken)
    {
        var start = first ?? (int)((uint)Interlocked.Increment(ref _turn) % (uint)copies);
        using var losers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeUp = Task.Delay(limit, cancellationToken);
        var running = new Dictionary<Task<T>, int>();
        Exception? lastFailure = null;
        var started = 0;   // copies started in this round
        var round = 0;
        try
        {
            while (!timeUp.IsCompleted)
            {
                if (running.Count == 0)
                {
                    if (started < copies)
                    {
                        running[AttemptAsync(read, (start + started++) % copies, losers.Token)] = 0;
                        continue;
                    }
                    // Every copy failed this round: the transient failures (a copy loading, a silo being replaced)
                    // may pass, so try again until the time limit, a little later each round.
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 4), 500)), cancellationToken), timeUp);
                    round++;
                    started = 0;
                    continue;
                }
                var hedge = started < copies ? Task.Delay(hedgeAfter, losers.Token) : Task.Delay(Timeout.Infinite, losers.Token);
                var done = await Task.WhenAny([.. running.Keys, hedge, timeUp]);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == timeUp) { break; }
                if (done == hedge)
                {
                    running[AttemptAsync(read, (start + started++) % copies, losers.Token)] = 0;
                    continue;
                }
                var answer = (Task<T>)done;
                running.Remove(answer);
                if (answer.IsCompletedSuccessfully) { return answer.Result; }
                var failure = answer.Exception?.InnerException ?? new TaskCanceledException(answer);
                if (!IsCopyFailure(failure)) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure); }
                lastFailure = failure;
            }
        }
        finally
        {
            await losers.CancelAsync();
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (lastFailure is VectordException and not CopyNotReadyException) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(lastFailure); }
        throw new StorageUnavailableException(
            $"no copy of a part of the index answered within {limit.TotalSeconds:0.#} s ({lastFailure?.Message ?? "no answer"}); retry");
    }

    private static async Task<T> AttemptAsync<T>(Func<int, CancellationToken, Task<T>> read, int copy, CancellationToken cancellationToken) =>
        await read(copy, cancellationToken);

    /// <summary>Whether another copy may answer where this one failed: the copy is unreachable, loading, or its
    /// storage or vectors failed it; not a failure of the request itself.</summary>
    internal static bool IsCopyFailure(Exception failure) => failure switch
    {
        CopyNotReadyException or StorageUnavailableException or IndexCorruptException or IndexFullException => true,
        FilterTimeoutException or VectordException => false,
        TimeoutException or OperationCanceledException => true,
        Orleans.Runtime.OrleansException => true,   // silo unavailable, message rejected, connection failed
        _ => false,
    };
}
