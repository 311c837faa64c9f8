namespace Vectord.Contracts;

/// <summary>One snapshot of an index.</summary>
/// <param name="Name">The snapshot's name, chosen by the server: <c>{index}-{yyyyMMdd}T{HHmmssfff}Z-{8 hex}.snapshot</c>.</param>
/// <param name="Created">When it was taken (RFC 3339, UTC).</param>
/// <param name="Size">Bytes of the file.</param>
/// <param name="Sha256">SHA-256 of the whole file as downloaded, lower-case hex.</param>
/// <param name="Length">Items in it.</param>
public sealed record SnapshotResponse(string Name, string Created, long Size, string Sha256, int Length);

/// <summary>Body of <c>GET /vectors/index/{name}/snapshots</c>.</summary>
/// <param name="Snapshots">The index's snapshots, newest first.</param>
public sealed record SnapshotListResponse(SnapshotResponse[] Snapshots);
