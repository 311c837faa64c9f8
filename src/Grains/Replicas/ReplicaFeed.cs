using Microsoft.Extensions.Logging;
using Vectord.Grains.Diagnostics;
using Vectord.Storage.Log;
using Vectord.Grains.Shards;

namespace Vectord.Grains.Replicas;

/// <summary>
/// The primary's side of replication for one part: each record the primary writes and applies is passed to every
/// replica in log order, one call at a time per replica, and what a replica has not acknowledged is passed again
/// with the next call. The primary acknowledges a write once every replica has acknowledged the write before it, or
/// <c>wait</c> has passed (a replica that is unreachable or slow is then left to catch up on its own), so a replica
/// that keeps up is at most one acknowledged write batch behind, and applies that batch while the primary applies the
/// next. Records are kept in memory until every replica has
/// them, up to <see cref="MaxKeptBytes"/>; a replica that needs older ones reads them from storage, where the primary
/// wrote them first. The continuations run on the primary's activation, like its turns.
/// </summary>
internal sealed partial class ReplicaFeed
{
    /// <summary>Most bytes of records kept for replicas that have not acknowledged them.</summary>
    public const long MaxKeptBytes = 64L << 20;

    private readonly ShardContext _context;
    private readonly Follower[] _followers;
    private readonly TimeSpan _wait;
    private readonly IndexMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LinkedList<LogEntry> _kept = new();
    private long _keptBytes;
    private TaskCompletionSource _changed = new();
    private long _seq;
    private bool _stopped;

    /// <summary>Starts a feed to replicas 1 to <paramref name="copies"/> − 1 of the part.</summary>
    public ReplicaFeed(IGrainFactory grains, ShardContext context, int copies, TimeSpan wait, IndexMetrics metrics, ILogger logger)
    {
        _context = context;
        _wait = wait;
        _metrics = metrics;
        _logger = logger;
        _followers = [.. Enumerable.Range(1, copies - 1).Select(r =>
            new Follower(r, grains.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, r))))];
    }

    /// <summary>The last record the primary wrote.</summary>
    public long Seq => _seq;

    /// <summary>The last record each replica acknowledged (−1: not known yet), replica 1 first.</summary>
    public IReadOnlyList<long> Acknowledged => [.. _followers.Select(f => f.Acknowledged)];

    /// <summary>Takes a record the primary has just written and applied, with the link lists it wrote for an add, and
    /// passes them on.</summary>
    public void Published(WalRecord record, byte[] bytes, Hnsw.LinkChanges? links)
    {
        _seq = record.Seq;
        var entry = new LogEntry(record.Seq, bytes, links?.ToBytes());
        _kept.AddLast(entry);
        _keptBytes += Size(entry);
        Trim();
        foreach (var follower in _followers) { Kick(follower); }
    }

    /// <summary>Waits until every replica that keeps up (with <paramref name="everyone"/>, every replica) has
    /// acknowledged the records up to <paramref name="upTo"/>, or <c>wait</c> has passed; a replica still behind then is
    /// marked lagging, and is not waited for again until it has caught up.</summary>
    public async Task SettleAsync(long upTo, bool everyone = false)
    {
        var until = Task.Delay(_wait);
        while (_followers.Any(f => (everyone || !f.Lagging) && f.Acknowledged < upTo))
        {
            if (await Task.WhenAny(_changed.Task, until) == until)
            {
                foreach (var follower in _followers.Where(f => f.Acknowledged < upTo)) { follower.Lagging = true; }
                return;
            }
        }
    }

    /// <summary>Stops passing records on (the primary deactivates).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Passes the latest records to every replica again (after a replica was replaced, or to load one that
    /// is not active).</summary>
    public void Refresh()
    {
        foreach (var follower in _followers) { Kick(follower); }
    }

    /// <summary>Tells a replica that holds every record that the primary is leaving its silo (it shuts down), so that
    /// the primary activates again at once and takes that replica's part over.</summary>
    public void HandOff(ShardContext context)
    {
        if (_followers.FirstOrDefault(f => f.Acknowledged == _seq) is { } inSync) { _ = inSync.Grain.PrimaryLeavingAsync(context); }
    }

    private void Kick(Follower follower)
    {
        if (follower.Sending.IsCompleted && !_stopped) { follower.Sending = SendAsync(follower); }
    }

    private async Task SendAsync(Follower follower)
    {
        var failures = 0;
        do
        {
            var entries = _kept.Where(e => e.Seq > follower.Acknowledged).ToArray();
            try
            {
                var acknowledged = await follower.Grain.FollowAsync(_context, entries, _seq);
                follower.Acknowledged = acknowledged;
                if (acknowledged >= _seq) { follower.Lagging = false; }
                else if (acknowledged < 0) { follower.Lagging = true; }   // loading: writes do not wait for it
                failures = 0;
                Changed();
                if (acknowledged < 0)
                {
                    // Loading from storage; it then holds everything written before, and takes the rest next time.
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Unreachable (its silo died) or refused: it is tried again, a little later each time; meanwhile
                // the primary's writes no longer wait for it, and reads skip it until it catches up.
                if (failures++ == 0) { LogFollowerFailed(_context.Index, _context.Shard, follower.Replica, e.Message); }
                follower.Lagging = true;
                Changed();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 << Math.Min(failures, 4), 1000)));
            }
            _metrics.ReplicaLag(_context.Index, _context.Shard, follower.Replica, follower.Acknowledged < 0 ? _seq : _seq - follower.Acknowledged);
            Trim();
        }
        while (follower.Acknowledged < _seq && failures < 30 && !_stopped);
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource();
        changed.SetResult();
    }

    /// <summary>Forgets the records every replica has, and the oldest beyond <see cref="MaxKeptBytes"/>.</summary>
    private void Trim()
    {
        var everyone = _followers.Min(f => f.Acknowledged);
        while (_kept.First is { } oldest && (oldest.Value.Seq <= everyone || _keptBytes > MaxKeptBytes && _kept.Count > 1))
        {
            _keptBytes -= Size(oldest.Value);
            _kept.RemoveFirst();
        }
    }

    private static long Size(LogEntry entry) => entry.Bytes.Length + (entry.Links?.Length ?? 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Index}/{Shard}: replica {Replica} did not take the log's records ({Reason}); it is tried again and catches up from storage")]
    private partial void LogFollowerFailed(string index, int shard, int replica, string reason);

    private sealed class Follower(int replica, IVectorReplicaGrain grain)
    {
        public int Replica { get; } = replica;
        public IVectorReplicaGrain Grain { get; } = grain;
        public long Acknowledged { get; set; } = -1;
        public Task Sending { get; set; } = Task.CompletedTask;
        public bool Lagging { get; set; }
    }
}
