using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

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
