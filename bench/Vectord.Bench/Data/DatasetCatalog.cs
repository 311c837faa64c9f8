using Vectord.Bench.Common;
using Vectord.Cli.Formats;

namespace Vectord.Bench.Data;

/// <summary>The data sets the bench knows by name, and where their files are.</summary>
internal static class DatasetCatalog
{
    public const string FashionMnist = "fashion-mnist";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs its files.</summary>
    public const string FashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<string> Names { get; } = [FashionMnist];

    /// <summary>Loads <paramref name="name"/>: the first <paramref name="limit"/> base vectors (all when null) and the
    /// first <paramref name="queryCount"/> query vectors.</summary>
    public static Dataset Load(string name, string? directory, int? limit, int queryCount) => name switch
    {
        FashionMnist => LoadFashionMnist(directory ?? FashionMnistDefaultDirectory, limit, queryCount),
        _ => throw new UsageException($"unknown data set '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The fashion-mnist training images file in <paramref name="directory"/> (the default directory when
    /// null), gzipped or not.</summary>
    public static string FashionMnistTrainFile(string? directory) =>
        FindFile(directory ?? FashionMnistDefaultDirectory, "train-images-idx3-ubyte")
        ?? throw new BenchException($"train-images-idx3-ubyte(.gz) not found in {directory ?? FashionMnistDefaultDirectory}");

    private static Dataset LoadFashionMnist(string directory, int? limit, int queryCount)
    {
        var train = FindFile(directory, "train-images-idx3-ubyte");
        var test = FindFile(directory, "t10k-images-idx3-ubyte");
        if (train is null || test is null)
        {
            throw new BenchException(
                $"fashion-mnist files not found in {directory} (expected train-images-idx3-ubyte.gz and " +
                "t10k-images-idx3-ubyte.gz). Install them with: sudo apt-get install dataset-fashion-mnist " +
                "(or pass --dataset-dir DIR holding those files).");
        }
        var baseVectors = ReadImages(train, limit, out var dimension);
        var queries = ReadImages(test, queryCount, out var queryDimension);
        if (queryDimension != dimension)
        {
            throw new BenchException($"{test}: images have {queryDimension} pixels, {train} has {dimension}");
        }
        if (queries.Length < queryCount)
        {
            throw new UsageException($"--queries {queryCount}: {test} holds only {queries.Length} images");
        }
        if (baseVectors.Length == 0)
        {
            throw new BenchException($"{train} holds no images");
        }
        return new Dataset(FashionMnist, dimension, baseVectors, queries);
    }

    /// <summary>Reads at most <paramref name="maxCount"/> images (all when null) of an IDX file, gzipped or not, as
    /// vectors with the tool's own reader; a damaged file is a <see cref="BenchException"/> naming it.</summary>
    private static float[][] ReadImages(string path, int? maxCount, out int dimension)
    {
        try
        {
            using var reader = new IdxReader(File.OpenRead(path));
            dimension = reader.Dimension;
            var take = (int)Math.Min(maxCount ?? int.MaxValue, reader.RowCount ?? 0);
            var vectors = new float[take][];
            using var rows = reader.ReadRows().GetEnumerator();
            for (var i = 0; i < take && rows.MoveNext(); i++)
            {
                var row = rows.Current;
                vectors[i] = row.Item?.Vector ?? throw new BenchException($"{path}: {reader.RowKind} {row.Number}: {row.Error}");
            }
            return vectors;
        }
        catch (InvalidDataException ex)
        {
            throw new BenchException($"{path}: {ex.Message}", ex);
        }
    }

    private static string? FindFile(string directory, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
