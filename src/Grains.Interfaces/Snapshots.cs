using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Orleans.Concurrency;

namespace Vectord;

/// <summary>One snapshot of an index, as it is stored.</summary>
/// <param name="Name">The snapshot's name (<see cref="SnapshotNames"/>).</param>
/// <param name="Created">When it was taken.</param>
/// <param name="Size">Bytes of the file.</param>
/// <param name="Sha256">SHA-256 of the whole file, lower-case hex.</param>
/// <param name="Length">Items in it.</param>
[GenerateSerializer, Immutable, Alias("vectord.SnapshotInfo")]
public sealed record SnapshotInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset Created,
    [property: Id(2)] long Size,
    [property: Id(3)] string Sha256,
    [property: Id(4)] int Length);

/// <summary>The names of snapshots: <c>{index}-{yyyyMMdd}T{HHmmssfff}Z-{8 hex}.snapshot</c>, chosen by the server
/// (the time it was taken, UTC, and a random tag), and checked whenever one comes back in a request.</summary>
public static partial class SnapshotNames
{
    /// <summary>A new name for a snapshot of <paramref name="index"/> taken at <paramref name="created"/>.</summary>
    public static string New(string index, DateTimeOffset created) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{index}-{created.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.snapshot");

    /// <summary>True when <paramref name="snapshot"/> is a name this server gives to snapshots of <paramref name="index"/>.</summary>
    public static bool IsValid(string index, string? snapshot) =>
        IndexNames.IsValid(index) && snapshot is not null && snapshot.Length == index.Length + Tail
        && snapshot.StartsWith(index, StringComparison.Ordinal) && TailPattern().IsMatch(snapshot.AsSpan(index.Length));

    /// <summary>When the snapshot <paramref name="snapshot"/> of <paramref name="index"/> was taken, read from its name.</summary>
    /// <returns>False when it is not a name of that index's snapshots.</returns>
    public static bool TryGetCreated(string index, string? snapshot, out DateTimeOffset created)
    {
        created = default;
        return IsValid(index, snapshot)
            && DateTimeOffset.TryParseExact(snapshot.AsSpan(index.Length + 1, 19), "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out created);
    }

    /// <summary>Refuses a name that is not one of <paramref name="index"/>'s snapshots.</summary>
    /// <exception cref="InvalidIndexArgumentException">It is not.</exception>
    public static void ThrowIfInvalid(string index, string? snapshot)
    {
        IndexNames.ThrowIfInvalid(index);
        if (!IsValid(index, snapshot))
        {
            throw new InvalidIndexArgumentException($"invalid snapshot name: snapshots of '{index}' are named {index}-yyyyMMddTHHmmssfffZ-xxxxxxxx.snapshot");
        }
    }

    private const int Tail = 1 + 19 + 1 + 8 + 9;

    [GeneratedRegex(@"^-[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}\.snapshot$", RegexOptions.CultureInvariant)]
    private static partial Regex TailPattern();
}

/// <summary>
/// The stored snapshots of the indexes (a stateless worker: any silo serves any call). Snapshots live in the node's
/// storage outside the data of their index, so they outlive a drop of it: they are listed, read and deleted by index
/// name whether or not an index of that name exists now. A snapshot is taken by <see cref="IVectorIndexGrain.CreateSnapshotAsync"/>
/// and restored through <see cref="ISnapshotUploadGrain"/>.
/// </summary>
[Alias("vectord.ISnapshotStoreGrain")]
public interface ISnapshotStoreGrain : IGrainWithIntegerKey
{
    /// <summary>The snapshots of <paramref name="index"/>, newest first.</summary>
    [Alias("List")]
    Task<SnapshotInfo[]> ListAsync(string index);

    /// <summary>One snapshot's description.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Get")]
    Task<SnapshotInfo> GetAsync(string index, string snapshot);

    /// <summary>Up to <paramref name="count"/> bytes (at most 4 MiB) of the snapshot's file from
    /// <paramref name="offset"/>; fewer only at its end.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Read")]
    Task<byte[]> ReadAsync(string index, string snapshot, long offset, int count);

    /// <summary>Deletes a snapshot.</summary>
    /// <exception cref="SnapshotNotFoundException">There is no such snapshot.</exception>
    [Alias("Delete")]
    Task DeleteAsync(string index, string snapshot);
}

/// <summary>
/// One restore of a snapshot file into a new index, keyed by a fresh id: the file arrives in chunks, in order
/// (<see cref="WriteAsync"/>, about 1 MiB each), and is streamed to storage while it is checked; then
/// <see cref="RestoreAsync"/> creates the index from it, or <see cref="AbortAsync"/> drops it. Either ends the upload.
/// </summary>
[Alias("vectord.ISnapshotUploadGrain")]
public interface ISnapshotUploadGrain : IGrainWithGuidKey
{
    /// <summary>Takes the next chunk of the file.</summary>
    /// <exception cref="InvalidIndexArgumentException">The file is not a snapshot, or of an unknown version (the
    /// upload is over).</exception>
    [Alias("Write")]
    Task WriteAsync(byte[] chunk);

    /// <summary>Checks the whole file and creates the index <paramref name="index"/> from it.</summary>
    /// <param name="index">The new index's name.</param>
    /// <param name="shards">Parts of the new index; 0 = as many as the snapshot has.</param>
    /// <param name="sha256">When set, the SHA-256 (hex) the whole file must have.</param>
    /// <returns>The new index's parameters and length.</returns>
    /// <exception cref="InvalidIndexArgumentException">The file is damaged, truncated, of an unknown version, or its
    /// SHA-256 is not <paramref name="sha256"/>; nothing was created.</exception>
    /// <exception cref="IndexAlreadyExistsException">The index exists; nothing was changed.</exception>
    [Alias("Restore"), ResponseTimeout("00:30:00")]
    Task<IndexInfo> RestoreAsync(string index, int shards, string? sha256);

    /// <summary>Drops what was uploaded.</summary>
    [Alias("Abort")]
    Task AbortAsync();
}
