using System.Collections.Concurrent;

namespace Vectord.Storage;

/// <summary>
/// A fixed set of long-lived threads for the storage calls that wait for the disk (fsync). On pool threads, each wait
/// would hold back the searches and grain turns queued behind it (the pool keeps about one thread per core); a thread
/// started for each call costs more than a small write itself (a create of an index makes several). The threads live
/// as long as the process.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "One instance for the life of the process; its semaphore is never disposed.")]
internal sealed class DiskThreads : TaskScheduler
{
    /// <summary>Calls waiting for the disk at once: enough for the filesystem to commit several together, few enough that
    /// the threads cost nothing to keep.</summary>
    public const int Count = 16;

    /// <summary>The process's disk threads.</summary>
    public static readonly DiskThreads Shared = new();

    private readonly ConcurrentQueue<Task> _queue = new();

    // A kernel semaphore, not SemaphoreSlim (nor BlockingCollection, built on it): a waiting thread sleeps at once
    // instead of spinning first, and sixteen threads spinning whenever the queue runs dry take the two cores from
    // the grain turns that fill it.
    private readonly Semaphore _queued = new(0, int.MaxValue);

    private DiskThreads()
    {
        for (var i = 0; i < Count; i++)
        {
            new Thread(Run) { IsBackground = true, Name = "vectord-disk" }.Start();
        }
    }

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => Count;

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        _queued.Release();
    }

    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Run()
    {
        while (true)
        {
            _queued.WaitOne();
            if (_queue.TryDequeue(out var task)) { TryExecuteTask(task); }
        }
    }
}
