namespace Vectord.Cli.Import;

/// <summary>What an import has done so far; read from other threads while it runs (progress display).</summary>
internal sealed class ImportCounters
{
    private long _stored;
    private long _skipped;
    private long _rejected;

    /// <summary>Items the service has stored (their batches answered 200).</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Items left out because their id was already in the index (<c>--resume</c>).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Bad rows: unreadable in the file, or refused by the service.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    internal void AddStored(long count) => Interlocked.Add(ref _stored, count);

    internal void AddSkipped() => Interlocked.Increment(ref _skipped);

    internal void AddRejected() => Interlocked.Increment(ref _rejected);
}
