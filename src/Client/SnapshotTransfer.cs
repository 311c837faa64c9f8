namespace Vectord.Client;

/// <summary>What a snapshot download moved.</summary>
/// <param name="Bytes">Bytes written to the destination.</param>
/// <param name="Sha256">SHA-256 of those bytes, lower-case hex: the snapshot's, checked against the service's.</param>
public sealed record SnapshotTransfer(long Bytes, string Sha256);
