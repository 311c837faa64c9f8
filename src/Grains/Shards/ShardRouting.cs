using System.IO.Hashing;
using System.Text;

namespace Vectord.Grains.Shards;

/// <summary>
/// Which part of an index an item lives in: the XxHash64 (seed 0) of its id's UTF-8 bytes, modulo the shard count.
/// This is part of the storage format: the items in each part's log and snapshots were placed by it, so it must
/// never change between versions (a golden test pins its values). An index records the scheme's name in its
/// manifest (<see cref="Scheme"/>).
/// </summary>
internal static class ShardRouting
{
    /// <summary>The name of the scheme, as stored in manifests.</summary>
    public const string Scheme = "xxh64-utf8-mod";

    /// <summary>The part of <paramref name="id"/> among <paramref name="shards"/>.</summary>
    public static int ShardOf(string id, int shards)
    {
        if (shards <= 1) { return 0; }
        Span<byte> small = stackalloc byte[256];
        var length = Encoding.UTF8.GetMaxByteCount(id.Length) <= small.Length ? Encoding.UTF8.GetBytes(id, small) : -1;
        var hash = length >= 0 ? XxHash64.HashToUInt64(small[..length]) : XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id));
        return (int)(hash % (ulong)shards);
    }

    /// <summary>Splits values by the part of their id; parts with nothing get an empty list.</summary>
    public static List<T>[] Split<T>(IEnumerable<T> values, Func<T, string> id, int shards)
    {
        var parts = new List<T>[shards];
        for (var i = 0; i < shards; i++) { parts[i] = []; }
        foreach (var value in values) { parts[ShardOf(id(value), shards)].Add(value); }
        return parts;
    }
}
