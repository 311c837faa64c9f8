using System.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// Builds the indexes stored in Golden/v1-euclidean-50x8.vhnsw, Golden/v2-int8-euclidean-300x8.vhnsw and
/// Golden/v1-novectors-50.vhnsw and Golden/v3-named-50.vhnsw. Not run by the tests: the files were written once by
/// <see cref="Write"/>, <see cref="WriteQuantized"/>, <see cref="WriteNoVectors"/> and <see cref="WriteNamed"/> and are kept as
/// committed, so a change to the format or to the build algorithm cannot silently rewrite them. Regenerating one is
/// a deliberate format change.
/// </summary>
internal static class GoldenFileGenerator
{
    public const int Count = 50;
    public const int Dim = 8;
    public static readonly int[] Deleted = [3, 17, 28, 41];

    public static string Id(int i) => $"g{i:D2}";

    public static float[] Vector(int i)
    {
        var v = new float[Dim];
        for (int j = 0; j < Dim; j++)
        {
            v[j] = j == 0 ? (i - 25) / 4f : ((((i * 13) + (j * 7) + (i * j * 3)) % 29) - 14) / 4f;
        }
        return v;
    }

    /// <summary>i % 5: 0 → no metadata, 1 → "{}", 2 → empty bytes, else {"i":i}.</summary>
    public static byte[]? Metadata(int i) => (i % 5) switch
    {
        0 => null,
        1 => "{}"u8.ToArray(),
        2 => [],
        _ => Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"),
    };

    public static HnswIndex Build()
    {
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7));
        index.AddBatch(Enumerable.Range(0, Count).Select(i => new VectorItem(Id(i), Vector(i), Metadata(i))).ToArray(), 1);
        foreach (int i in Deleted)
        {
            index.Delete(Id(i));
        }
        return index;
    }

    public static void Write(string path)
    {
        using FileStream file = File.Create(path);
        Build().Save(file);
    }

    public const int QuantizedCount = 300;
    public static readonly int[] QuantizedDeleted = [3, 17, 28, 41, 150, 299];

    /// <summary>300 items of the same vectors and metadata under int8 quantization, added in two batches: the quantizer
    /// is trained on the first 260, so the first component of the last 40 lies above its trained range (their codes
    /// clamp). Six items deleted.</summary>
    public static HnswIndex BuildQuantized()
    {
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7,
            Quantization: QuantizationKind.Int8));
        index.AddBatch(Enumerable.Range(0, 260).Select(i => new VectorItem(Id(i), Vector(i), Metadata(i))).ToArray(), 1);
        index.AddBatch(Enumerable.Range(260, QuantizedCount - 260).Select(i => new VectorItem(Id(i), Vector(i), Metadata(i))).ToArray(), 1);
        foreach (int i in QuantizedDeleted)
        {
            index.Delete(Id(i));
        }
        return index;
    }

    public static void WriteQuantized(string path)
    {
        using FileStream file = File.Create(path);
        BuildQuantized().Save(file);
    }

    /// <summary>The 50 ids and metadata of <see cref="Build"/> in an index without vectors (dimension 0, M 4), the same
    /// four deleted, then g03 added again (its tombstone reused) with metadata <c>{"again":true}</c>.</summary>
    public static HnswIndex BuildNoVectors()
    {
        var index = new HnswIndex(new HnswOptions(0, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7));
        index.AddBatch(Enumerable.Range(0, Count).Select(i => new VectorItem(Id(i), [], Metadata(i))).ToArray(), 1);
        foreach (int i in Deleted)
        {
            index.Delete(Id(i));
        }
        index.AddBatch([new VectorItem(Id(3), [], "{\"again\":true}"u8.ToArray())], 1);
        return index;
    }

    public static void WriteNoVectors(string path)
    {
        using FileStream file = File.Create(path);
        BuildNoVectors().Save(file);
    }

    /// <summary>The named vectors of <see cref="BuildNamed"/>: "body" as <see cref="Vector"/> (euclidean), "thumb"
    /// its first three components reversed, plus 1 (cosine, int8).</summary>
    public static readonly VectorSpaces NamedSpaces = new([
        new VectorSpace("body", Dim, DistanceKind.Euclidean),
        new VectorSpace("thumb", 3, DistanceKind.Cosine, QuantizationKind.Int8),
    ]);

    public static float[] Thumb(int i) => [Vector(i)[2] + 1, Vector(i)[1] + 1, Vector(i)[0] + 1];

    /// <summary>The 50 items of <see cref="Build"/> with a second named vector (<see cref="NamedSpaces"/>), M 4, the
    /// same four deleted.</summary>
    public static HnswIndex BuildNamed()
    {
        var index = new HnswIndex(HnswOptions.ForVectors(NamedSpaces, m: 4, efConstruction: 32, efSearch: 64, seed: 7));
        index.AddBatch(Enumerable.Range(0, Count).Select(i => new VectorItem(Id(i), NamedSpaces.Concat([Vector(i), Thumb(i)]), Metadata(i))).ToArray(), 1);
        foreach (int i in Deleted)
        {
            index.Delete(Id(i));
        }
        return index;
    }

    public static void WriteNamed(string path)
    {
        using FileStream file = File.Create(path);
        BuildNamed().Save(file);
    }
}
