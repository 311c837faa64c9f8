using System.Buffers.Binary;
using System.Globalization;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Common;

/// <summary>
/// Exact top-k lists stored on disk, one file per (data set, n, queries, distance, k, content fingerprint), so the
/// brute-force scan runs once per configuration. Files are written to a temporary name and renamed into place.
/// </summary>
internal sealed class GroundTruthCache(string directory)
{
    private const uint Magic = 0x54474456; // "VDGT", little-endian
    private const int Version = 1;
    private const int HeaderBytes = 4 + 4 + 4 + 4 + 4 + 8;

    public string Directory { get; } = directory;

    /// <summary><c>$VECTORD_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/vectord</c>, else <c>~/.cache/vectord</c>.</summary>
    public static string DefaultDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("VECTORD_CACHE_DIR");
        if (!string.IsNullOrEmpty(explicitDir))
        {
            return explicitDir;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "vectord");
    }

    public string PathFor(Dataset dataset, DistanceKind distance, int k) => Path.Combine(Directory, string.Create(
        CultureInfo.InvariantCulture,
        $"{dataset.Name}-n{dataset.Base.Length}-q{dataset.Queries.Length}-{distance.ToString().ToLowerInvariant()}-k{k}-{dataset.Fingerprint:x16}.gt"));

    /// <summary>The cached lists, or null when there is no file or it does not match (wrong shape, truncated).</summary>
    public int[][]? TryLoad(Dataset dataset, DistanceKind distance, int k)
    {
        var path = PathFor(dataset, distance, k);
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        var queries = dataset.Queries.Length;
        if (bytes.Length != HeaderBytes + (long)queries * k * sizeof(int)
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != dataset.Base.Length
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)) != queries
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)) != k
            || BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(20)) != dataset.Fingerprint)
        {
            return null;
        }
        var result = new int[queries][];
        var offset = HeaderBytes;
        for (var q = 0; q < queries; q++)
        {
            var row = new int[k];
            for (var j = 0; j < k; j++, offset += sizeof(int))
            {
                row[j] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
                if ((uint)row[j] >= (uint)dataset.Base.Length)
                {
                    return null;
                }
            }
            result[q] = row;
        }
        return result;
    }

    /// <summary>Stores full-length lists (every row holds exactly k indices).</summary>
    public void Save(Dataset dataset, DistanceKind distance, int k, int[][] truth)
    {
        if (truth.Any(row => row.Length != k))
        {
            throw new ArgumentException("every row must hold exactly k indices", nameof(truth));
        }
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(dataset, distance, k);
        var temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        var bytes = new byte[HeaderBytes + truth.Length * k * sizeof(int)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), dataset.Base.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), truth.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), k);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(20), dataset.Fingerprint);
        var offset = HeaderBytes;
        foreach (var row in truth)
        {
            foreach (var index in row)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), index);
                offset += sizeof(int);
            }
        }
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
