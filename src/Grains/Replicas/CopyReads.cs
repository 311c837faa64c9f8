using System.Diagnostics;

namespace Vectord.Grains.Replicas;

/// <summary>
/// How the reads of one part of a replicated index use the part's copies: each read starts on the next copy in turn
/// (so reads spread evenly) among those not suspected; when that copy fails in a way another copy may not (its silo is
/// gone, it is still loading, its call timed out), or has not answered within the hedge delay, the same read is
/// started on the next copy; the first answer wins and the others are cancelled. A copy that failed or was hedged is
/// suspected for <see cref="Suspicion"/> (reads start elsewhere) unless it answers meanwhile. The hedge delay follows
/// the part's recent answers (four times their typical time, within 50 ms and the configured delay), so a lost copy
/// costs a fast read little. A failure that any copy would give (a bad request, a filter over its time limit) ends the
/// read at once. Only when no copy has answered within the time limit does the read fail, with
/// <see cref="StorageUnavailableException"/> (or the last copy's own storage failure).
/// </summary>
/// <param name="copies">How many copies the part has.</param>
/// <param name="options">The longest hedge delay and the time limit of a read.</param>
/// <param name="adaptive">Whether the hedge delay follows the recent answers; when false it is always the configured
/// one (for reads that ask the primary first and should go elsewhere only when it does not answer).</param>
internal sealed class CopyReads(int copies, CopyReadOptions options, bool adaptive = true)
{
    /// <summary>How long a copy that failed or was hedged is not tried first.</summary>
    public static readonly TimeSpan Suspicion = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan s_shortestHedge = TimeSpan.FromMilliseconds(50);
    private readonly long[] _suspectUntil = new long[copies];
    private int _turn;
    private double _typicalSeconds = options.HedgeAfter.TotalSeconds / 4;

    /// <summary>The delay before a read also goes to the next copy.</summary>
    public TimeSpan HedgeDelay => adaptive
        ? TimeSpan.FromSeconds(Math.Min(Math.Max(4 * Volatile.Read(ref _typicalSeconds), s_shortestHedge.TotalSeconds), options.HedgeAfter.TotalSeconds))
        : options.HedgeAfter;

    /// <summary>Runs <paramref name="read"/> on the copies as described above.</summary>
    /// <param name="read">The read on copy i, cancelled when another copy answered first.</param>
    /// <param name="first">The copy to try first; null: the next in turn.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<T> RunAsync<T>(Func<int, CancellationToken, Task<T>> read, int? first, CancellationToken cancellationToken)
    {
        var order = Order(first);
        using var losers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeUp = Task.Delay(options.Limit, cancellationToken);
        var running = new Dictionary<Task<T>, (int Copy, long Started)>();
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
                        Start(order[started++]);
                        continue;
                    }
                    // Every copy failed this round: the transient failures (a copy loading, a silo being replaced)
                    // may pass, so try again until the time limit, a little later each round.
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 4), 500)), cancellationToken), timeUp);
                    round++;
                    started = 0;
                    continue;
                }
                var hedge = started < copies ? Task.Delay(HedgeDelay, losers.Token) : Task.Delay(Timeout.Infinite, losers.Token);
                var done = await Task.WhenAny([.. running.Keys, hedge, timeUp]);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == timeUp) { break; }
                if (done == hedge)
                {
                    foreach (var (copy, _) in running.Values) { Suspect(copy); }
                    Start(order[started++]);
                    continue;
                }
                var answer = (Task<T>)done;
                var (from, startedAt) = running[answer];
                running.Remove(answer);
                if (answer.IsCompletedSuccessfully)
                {
                    Answered(from, Stopwatch.GetElapsedTime(startedAt));
                    return answer.Result;
                }
                var failure = answer.Exception?.InnerException ?? new TaskCanceledException(answer);
                if (!IsCopyFailure(failure)) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure); }
                Suspect(from);
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
            $"no copy of a part of the index answered within {options.Limit.TotalSeconds:0.#} s ({lastFailure?.Message ?? "no answer"}); retry");

        void Start(int copy) => running[AttemptAsync(read, copy, losers.Token)] = (copy, Stopwatch.GetTimestamp());
    }

    /// <summary>The copies in the order a read tries them: from <paramref name="first"/> or the next in turn, those not
    /// suspected before those suspected (a suspected primary is asked last).</summary>
    private int[] Order(int? first)
    {
        var now = Stopwatch.GetTimestamp();
        bool Suspected(int copy) => Volatile.Read(ref _suspectUntil[copy]) > now;
        var turn = first is null ? (uint)Interlocked.Increment(ref _turn) : 0;
        int[] trusted = [.. Enumerable.Range(0, copies).Where(c => !Suspected(c))];
        var start = first ?? (trusted.Length > 0 ? trusted[turn % (uint)trusted.Length] : (int)(turn % (uint)copies));
        return [.. Enumerable.Range(0, copies).Select(i => (start + i) % copies).OrderBy(c => Suspected(c) ? 1 : 0)];   // stable
    }

    private void Suspect(int copy) => Volatile.Write(ref _suspectUntil[copy], Stopwatch.GetTimestamp() + (long)(Suspicion.TotalSeconds * Stopwatch.Frequency));

    private void Answered(int copy, TimeSpan took)
    {
        Volatile.Write(ref _suspectUntil[copy], 0);
        // A moving average of the answers' times (racing updates only lose a sample).
        Volatile.Write(ref _typicalSeconds, (0.9 * Volatile.Read(ref _typicalSeconds)) + (0.1 * took.TotalSeconds));
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

/// <summary>The settings of <see cref="CopyReads"/>.</summary>
/// <param name="HedgeAfter">The longest a copy may take before a read is also started on the next one.</param>
/// <param name="Limit">How long a read may go on trying copies before it fails.</param>
internal sealed record CopyReadOptions(TimeSpan HedgeAfter, TimeSpan Limit);
