using System.IO.Compression;
using System.Buffers.Binary;

namespace Vectord.Hnsw.Tests;

/// <summary>Seeded data sets, exact search and recall for the engine tests.</summary>
internal static class TestData
{
    /// <summary>Seeded clustered data of low intrinsic dimension, as embeddings are: 20 random centres, each point
    /// its centre plus a random 8-dimensional linear image of a Gaussian, plus a little isotropic noise.</summary>
    public static float[][] Clustered(int count, int dim, int seed, int clusters = 20, int latent = 8)
    {
        // The centres and the projection depend only on the dimension, so base and query sets share them.
        var shared = new Random(dim);
        var centres = new float[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            centres[c] = new float[dim];
            for (int i = 0; i < dim; i++)
            {
                centres[c][i] = (float)(Gaussian(shared) * 3.0);
            }
        }
        var projection = new float[latent, dim];
        for (int l = 0; l < latent; l++)
        {
            for (int i = 0; i < dim; i++)
            {
                projection[l, i] = (float)(Gaussian(shared) / Math.Sqrt(latent));
            }
        }
        var random = new Random(seed);
        var z = new double[latent];
        var vectors = new float[count][];
        for (int n = 0; n < count; n++)
        {
            float[] centre = centres[random.Next(clusters)];
            for (int l = 0; l < latent; l++)
            {
                z[l] = Gaussian(random);
            }
            var v = new float[dim];
            for (int i = 0; i < dim; i++)
            {
                double x = centre[i] + (0.05 * Gaussian(random));
                for (int l = 0; l < latent; l++)
                {
                    x += z[l] * projection[l, i];
                }
                v[i] = (float)x;
            }
            vectors[n] = v;
        }
        return vectors;
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static VectorItem[] Items(float[][] vectors, string prefix = "v") =>
        vectors.Select((v, i) => new VectorItem($"{prefix}{i}", v)).ToArray();

    /// <summary>The engine's reported distance, computed in double precision.</summary>
    public static double Distance(DistanceKind kind, float[] q, float[] v)
    {
        double dot = 0, qq = 0, vv = 0, l2 = 0;
        for (int i = 0; i < q.Length; i++)
        {
            dot += (double)q[i] * v[i];
            qq += (double)q[i] * q[i];
            vv += (double)v[i] * v[i];
            double d = (double)q[i] - v[i];
            l2 += d * d;
        }
        return kind switch
        {
            DistanceKind.Euclidean => Math.Sqrt(l2),
            DistanceKind.Cosine => 1.0 - (dot / Math.Sqrt(qq * vv)),
            _ => -dot,
        };
    }

    /// <summary>Ids of the exact k nearest among <paramref name="items"/> (ties to the lower index).</summary>
    public static string[] Exact(DistanceKind kind, IReadOnlyList<VectorItem> items, float[] query, int k) =>
        items.Select((item, i) => (Distance(kind, query, item.Vector), i))
            .OrderBy(t => t.Item1).ThenBy(t => t.i)
            .Take(k)
            .Select(t => items[t.i].Id)
            .ToArray();

    /// <summary>Mean recall@k of the index over <paramref name="queries"/> against exact search over <paramref name="items"/>.</summary>
    public static double Recall(HnswIndex index, DistanceKind kind, IReadOnlyList<VectorItem> items, IReadOnlyList<float[]> queries, int k, int ef = 0)
    {
        double total = 0;
        foreach (float[] q in queries)
        {
            var exact = new HashSet<string>(Exact(kind, items, q, k), StringComparer.Ordinal);
            SearchHit[] hits = index.Search(q, k, ef);
            total += hits.Count(h => exact.Contains(h.Id)) / (double)k;
        }
        return total / queries.Count;
    }

    public static HnswIndex Build(DistanceKind kind, IReadOnlyList<VectorItem> items, int dim, int efConstruction = 0, int maxDop = 1, int seed = 42,
        QuantizationKind quantization = QuantizationKind.None)
    {
        var index = new HnswIndex(new HnswOptions(dim, kind, EfConstruction: efConstruction, Seed: seed, Quantization: quantization));
        index.AddBatch(items, maxDop);
        return index;
    }

    /// <summary>Reads the first <paramref name="count"/> labels of a gzip-compressed IDX1 file.</summary>
    public static byte[] ReadIdxLabels(string path, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[8];
        gzip.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != 0x801 || BinaryPrimitives.ReadInt32BigEndian(header[4..]) < count)
        {
            throw new InvalidDataException($"{path} is not an IDX1 file of at least {count} labels");
        }
        var labels = new byte[count];
        gzip.ReadExactly(labels);
        return labels;
    }

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> puts the files.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly Lazy<(VectorItem[] Items, float[][] Queries)> s_fashionMnistSample = new(() => (
        Items(ReadIdxImages(Path.Combine(FashionMnistDirectory, "train-images-idx3-ubyte.gz"), 10_000)),
        ReadIdxImages(Path.Combine(FashionMnistDirectory, "t10k-images-idx3-ubyte.gz"), 200)));

    /// <summary>The recall tests' real data, read once: the first 10,000 fashion-mnist training images as items,
    /// the first 200 test images as queries.</summary>
    public static (VectorItem[] Items, float[][] Queries) FashionMnistSample => s_fashionMnistSample.Value;

    /// <summary>Reads the first <paramref name="count"/> images of a gzip-compressed IDX3 file as float vectors.</summary>
    public static float[][] ReadIdxImages(string path, int count)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        gzip.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != 0x00000803)
        {
            throw new InvalidDataException($"{path}: not an idx3 ubyte file (magic 0x{magic:x8})");
        }
        int total = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int dim = BinaryPrimitives.ReadInt32BigEndian(header[8..]) * BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        count = Math.Min(count, total);
        var pixels = new byte[dim];
        var images = new float[count][];
        for (int n = 0; n < count; n++)
        {
            gzip.ReadExactly(pixels);
            var v = new float[dim];
            for (int i = 0; i < dim; i++)
            {
                v[i] = pixels[i];
            }
            images[n] = v;
        }
        return images;
    }

    /// <summary>Asserts two hit lists are the same ids, distances and metadata in the same order.</summary>
    public static void AssertSameHits(SearchHit[] expected, SearchHit[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Id, actual[i].Id);
            Assert.Equal(expected[i].Distance, actual[i].Distance);
            Assert.Equal(expected[i].Metadata, actual[i].Metadata);
        }
    }
}
