using System.Text;
using Vectord.Grains.Shards;
using Vectord.Grains.Snapshots;
using Vectord.Hnsw;
using Vectord.Storage.Snapshots;

namespace Vectord.Grains.Tests;

/// <summary>
/// Builds the snapshot stored in Golden/v1-euclidean-2parts.snapshot: an index of two parts, items placed by
/// <see cref="ShardRouting"/>, some deleted, metadata of every kind. Not run by the tests: the file was written once by
/// <see cref="Write"/> and is kept as committed, so that every later version must still restore it.
/// </summary>
internal static class GoldenSnapshotGenerator
{
    public const int Count = 120;
    public const int Dim = 8;
    public const int Parts = 2;
    public static readonly IndexSpec Spec = new(Dim, 8, 50, IndexDistance.Euclidean, Parts);
    public static readonly int[] Deleted = [5, 17, 64, 99];

    public static string Id(int i) => $"golden-{i:D3}";

    public static float[] Vector(int i) => [.. Enumerable.Range(0, Dim).Select(j => ((((i * 31) + (j * 17) + (i * j * 7)) % 41) - 20) / 8f)];

    /// <summary>i % 4: 0 → none, 1 → an object, 2 → null, 3 → a string.</summary>
    public static string? Metadata(int i) => (i % 4) switch
    {
        0 => null,
        1 => $"{{\"i\":{i},\"tags\":[\"t{i % 3}\"]}}",
        2 => "null",
        _ => $"\"item {i}\"",
    };

    public static IEnumerable<int> Live => Enumerable.Range(0, Count).Except(Deleted);

    public static void Write(string path)
    {
        var parts = new HnswIndex[Parts];
        for (var p = 0; p < Parts; p++) { parts[p] = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 8, EfSearch: 50)); }
        foreach (var i in Enumerable.Range(0, Count))
        {
            var metadata = Metadata(i) is { } m ? Encoding.UTF8.GetBytes(m) : null;
            parts[ShardRouting.ShardOf(Id(i), Parts)].AddBatch([new VectorItem(Id(i), Vector(i), metadata)], maxDegreeOfParallelism: 1);
        }
        foreach (var i in Deleted) { parts[ShardRouting.ShardOf(Id(i), Parts)].Delete(Id(i)); }
        using var file = File.Create(path);
        var header = SnapshotHeader.Of("golden", Spec, new DateTimeOffset(2026, 12, 2, 19, 0, 0, TimeSpan.Zero), [.. parts.Select(p => p.Count)], Shards.ShardRouting.Scheme);
        SnapshotFile.Write(file, header, [.. parts.Select(p => (Action<Stream>)p.Save)]);
    }
}
