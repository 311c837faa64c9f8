using System.Security.Cryptography;
using System.Text;

namespace Vectord.Storage;

/// <summary>Index names and the storage keys built from them.</summary>
public static class StorageKeys
{
    /// <summary>True when <paramref name="name"/> is a valid index name (<see cref="IndexNames.IsValid"/>), which is
    /// also a safe single path segment: never <c>.</c> or <c>..</c>, no separator.</summary>
    public static bool IsValidName(string? name) => IndexNames.IsValid(name);

    /// <summary>A key segment for an arbitrary string: the string itself when it is a valid name, otherwise
    /// <c>~</c> and the hex SHA-256 of its UTF-8 (a valid name never starts with <c>~</c>, so the two never meet).</summary>
    public static string Segment(string value)
    {
        if (IsValidName(value)) { return value; }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return "~" + Convert.ToHexStringLower(hash);
    }

    /// <summary>Everything stored for the index <paramref name="name"/> except its manifest.</summary>
    public static string IndexPrefix(string name) => $"indexes/{Checked(name)}/";

    /// <summary>Everything stored for one part of one incarnation (generation) of an index: the generation's own
    /// folder for the single part of an unsharded index, a sub-folder <c>sNN/</c> for part NN of a sharded one.</summary>
    public static string PartPrefix(string name, string generation, int? shard = null) =>
        shard is { } s
            ? $"{IndexPrefix(name)}{Checked(generation)}/s{s.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)}/"
            : $"{IndexPrefix(name)}{Checked(generation)}/";

    /// <summary>The log records of one incarnation (generation) of an unsharded index.</summary>
    public static string WalPrefix(string name, string generation) => PartPrefix(name, generation) + "wal/";

    /// <summary>The snapshots of one incarnation (generation) of an unsharded index.</summary>
    public static string SnapshotPrefix(string name, string generation) => PartPrefix(name, generation) + "snap/";

    /// <summary>The key of log record <paramref name="seq"/>.</summary>
    public static string Wal(string name, string generation, long seq) => WalPrefix(name, generation) + SeqText(seq);

    /// <summary>The key of the snapshot taken at <paramref name="seq"/>.</summary>
    public static string Snapshot(string name, string generation, long seq) => SnapshotPrefix(name, generation) + SeqText(seq);

    /// <summary>The snapshots of the index <paramref name="name"/>: beside, not inside, its data
    /// (<see cref="IndexPrefix"/>), so that they outlive a drop of it.</summary>
    public static string SnapshotsOf(string name) => $"snapshots/{Checked(name)}/";

    /// <summary>A snapshot file being uploaded for a restore, by the upload's id.</summary>
    public static string Upload(Guid id) => $"uploads/{id:N}";

    /// <summary>The persisted states of every grain of one type: each grain's under <c>{key segment}/</c>.</summary>
    public static string GrainStates(string grainType) => $"grains/{Segment(grainType)}/";

    /// <summary>The key of a grain's persisted state.</summary>
    public static string GrainState(string grainType, string grainKey, string stateName) =>
        $"{GrainStates(grainType)}{Segment(grainKey)}/{Segment(stateName)}";

    /// <summary>Parses the sequence number at the end of a log or snapshot key; false when it is not one.</summary>
    public static bool TryParseSeq(string key, out long seq)
    {
        var slash = key.LastIndexOf('/');
        var tail = key.AsSpan(slash + 1);
        seq = 0;
        return tail.Length == 12 && long.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seq);
    }

    /// <summary>The fixed-width text of a sequence number in a key.</summary>
    public static string SeqText(long seq) => seq.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    private static string Checked(string name) =>
        IsValidName(name) ? name : throw new ArgumentException("not a valid storage name segment", nameof(name));
}
