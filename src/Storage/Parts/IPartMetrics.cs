namespace Vectord.Storage.Parts;

/// <summary>What a part's host reports to the node's metrics.</summary>
public interface IPartMetrics
{
    /// <summary>Log bytes written by a write.</summary>
    void WalAppended(long bytes);

    /// <summary>A snapshot completed in <paramref name="elapsed"/>.</summary>
    void SnapshotCompleted(TimeSpan elapsed);
}
