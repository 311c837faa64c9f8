namespace Vectord.Storage.Log;

/// <summary>When a part writes a snapshot: once its log since the last snapshot exceeds <paramref name="LogRatio"/> ×
/// that snapshot's size and at least <paramref name="MinLogBytes"/>.</summary>
internal sealed record SnapshotPolicy(double LogRatio, long MinLogBytes)
{
    /// <summary>True when a log of <paramref name="logBytes"/> after a snapshot of <paramref name="snapshotBytes"/> is due one.</summary>
    public bool IsDue(long logBytes, long snapshotBytes) => logBytes > Math.Max(MinLogBytes, (long)(LogRatio * snapshotBytes));
}
