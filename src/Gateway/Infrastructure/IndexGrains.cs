using System.Collections.Concurrent;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// The index grains by name, for the handlers. <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string)"/>
/// resolves the interface's grain type and builds a new reference on every call, a measurable share of a search's
/// CPU time; a reference kept per name costs one lookup. Names come from requests, so the cache is bounded: when
/// it is full it starts again empty.
/// </summary>
public sealed class IndexGrains(IGrainFactory grains)
{
    /// <summary>Most references kept.</summary>
    public const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, IVectorIndexGrain> _references = new(StringComparer.Ordinal);

    /// <summary>
    /// The index grain named <paramref name="name"/>. A name that breaks <see cref="IndexNames"/>' rule is answered
    /// here (400) and never becomes a grain.
    /// </summary>
    public IVectorIndexGrain Index(string? name)
    {
        IndexNames.ThrowIfInvalid(name);
        if (_references.TryGetValue(name, out IVectorIndexGrain? grain))
        {
            return grain;
        }
        grain = grains.GetGrain<IVectorIndexGrain>(name);
        if (_references.Count >= MaxCached)
        {
            _references.Clear();
        }
        _references[name] = grain;
        return grain;
    }

    /// <summary>
    /// Searches the index named <paramref name="name"/>. An index with one copy of each part is searched through its
    /// grain. A replicated one is searched through its reader on whichever silo the call reaches
    /// (<see cref="IIndexReaderGrain"/>), which reads the parts' copies directly, so that the loss of the silo holding the
    /// index grain costs no search: when the reader does not answer within four times the recent searches' typical time
    /// (at least 50 ms, at most <see cref="HedgeAfter"/>; the silo it was sent to may have died with the call in flight)
    /// the search is sent again, and the first answer wins.
    /// </summary>
    public async Task<SearchHit[][]> SearchAsync(string name, SearchQuery[] queries, CancellationToken cancellationToken)
    {
        var index = Index(name);
        if (!await IsReplicatedAsync(name, index))
        {
            return queries.Length == 1 ? [await index.SearchAsync(queries[0], cancellationToken)] : await index.SearchBatchAsync(queries, cancellationToken);
        }
        // Each call on its own lane: a client sends the calls of one grain through one silo, so a call sent again on
        // another lane reaches another silo when the first one's silo died or is stopping.
        using var losers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lane = Random.Shared.Next(Lanes);
        Task<SearchHit[][]> Send() => grains.GetGrain<IIndexReaderGrain>(IndexReaders.Key(name, lane++ % Lanes)).SearchBatchAsync(queries, losers.Token);
        var running = new List<Task<SearchHit[][]>> { Send() };
        var sent = 1;
        var giveUp = DateTime.UtcNow + RetryFor;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var hedge = running.Count < MaxInFlight ? Task.Delay(HedgeDelay, losers.Token) : Task.Delay(Timeout.Infinite, losers.Token);
                var done = await Task.WhenAny([.. running, hedge]);
                cancellationToken.ThrowIfCancellationRequested();
                if (done != hedge)
                {
                    var attempt = (Task<SearchHit[][]>)done;
                    running.Remove(attempt);
                    if (attempt.IsCompletedSuccessfully)
                    {
                        if (sent == 1) { Answered(System.Diagnostics.Stopwatch.GetElapsedTime(started)); }
                        return attempt.Result;
                    }
                    var failure = attempt.Exception!.InnerException!;
                    // A refusal of the request itself (a bad query, a filter over its time limit, no such index) is
                    // the answer; any other failure comes of the silo the call went through (it died or is stopping,
                    // the cluster is settling its directory) and is worth another call, which reaches another silo.
                    if (failure is VectordException || DateTime.UtcNow >= giveUp && running.Count == 0)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                    }
                    if (running.Count > 0) { continue; }
                    await Task.Delay(RetryAfter, cancellationToken);
                }
                running.Add(Send());
                sent++;
            }
        }
        finally
        {
            await losers.CancelAsync();
        }
    }

    /// <summary>How long a search of a replicated index waits for an answer before it is sent again.</summary>
    public static readonly TimeSpan HedgeAfter = TimeSpan.FromMilliseconds(500);

    private double _typicalSeconds = HedgeAfter.TotalSeconds / 4;

    /// <summary>How long a search of a replicated index waits for an answer before it is sent again now.</summary>
    private TimeSpan HedgeDelay => TimeSpan.FromSeconds(Math.Min(Math.Max(4 * Volatile.Read(ref _typicalSeconds), 0.05), HedgeAfter.TotalSeconds));

    /// <summary>Counts a first call's answer time in the moving average (racing updates only lose a sample).</summary>
    private void Answered(TimeSpan took) =>
        Volatile.Write(ref _typicalSeconds, (0.9 * Volatile.Read(ref _typicalSeconds)) + (0.1 * took.TotalSeconds));

    /// <summary>How long a search of a replicated index waits after a failed call before the next.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>Most calls of one search of a replicated index in flight at once.</summary>
    private const int MaxInFlight = 3;

    /// <summary>Lanes of an index's readers.</summary>
    private const int Lanes = 16;

    /// <summary>How long a search of a replicated index goes on sending calls that fail because a silo died or is
    /// stopping (a rolling restart): within Orleans' response timeout.</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(25);

    private readonly ConcurrentDictionary<string, (bool Replicated, DateTime Asked)> _replicated = new(StringComparer.Ordinal);

    /// <summary>How long the gateway goes by what an index said of its replicas before asking again.</summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(1);

    /// <summary>Whether the index keeps several copies of its parts, asked of it at most once a minute per name (its
    /// parameters never change; an index dropped and created again with other ones is searched correctly either way,
    /// and through its reader once asked again). Once known, it is asked again in the background while searches go on
    /// by what it said, so no search waits for an index grain that is being moved after a node loss.</summary>
    private async ValueTask<bool> IsReplicatedAsync(string name, IVectorIndexGrain index)
    {
        if (!_replicated.TryGetValue(name, out var known)) { return await AskReplicatedAsync(name, index); }
        if (DateTime.UtcNow - known.Asked >= AskAgainAfter && _replicated.TryUpdate(name, (known.Replicated, DateTime.UtcNow), known))
        {
            _ = AskAgainAsync();   // one caller asks; the others go on with what is known
        }
        return known.Replicated;

        async Task AskAgainAsync()
        {
            try
            {
                await AskReplicatedAsync(name, index);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or VectordException)
            {
                // its grain is being moved, or it was dropped: what it said still holds until it is asked again
            }
        }
    }

    private async Task<bool> AskReplicatedAsync(string name, IVectorIndexGrain index)
    {
        var replicated = (await index.GetInfoAsync()).Replicas > 1;
        if (_replicated.Count >= MaxCached) { _replicated.Clear(); }
        _replicated[name] = (replicated, DateTime.UtcNow);
        return replicated;
    }

    /// <summary>References currently kept.</summary>
    internal int Count => _references.Count;
}
