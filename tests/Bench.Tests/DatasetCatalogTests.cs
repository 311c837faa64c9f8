using Vectord.Bench.Common;
using Vectord.Bench.Data;

namespace Vectord.Bench.Tests;

public sealed class DatasetCatalogTests
{
    [Fact]
    public void Missing_files_name_the_debian_package()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<BenchException>(() => DatasetCatalog.Load(DatasetCatalog.FashionMnist, dir.Path, null, 10));

        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_dir_override_loads_base_and_queries_from_their_files()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteGzip(Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), IdxTestFiles.Images(30, 2, 2, (i, j) => (byte)(i + j)));
        File.WriteAllBytes(Path.Combine(dir.Path, "t10k-images-idx3-ubyte"), IdxTestFiles.Images(8, 2, 2, (i, _) => (byte)(100 + i)));

        var dataset = DatasetCatalog.Load(DatasetCatalog.FashionMnist, dir.Path, limit: 12, queryCount: 5);

        Assert.Equal(4, dataset.Dimension);
        Assert.Equal(12, dataset.Base.Length);
        Assert.Equal(5, dataset.Queries.Length);
        Assert.Equal([11f, 12f, 13f, 14f], dataset.Base[11]);
        Assert.Equal([104f, 104f, 104f, 104f], dataset.Queries[4]);
    }

    [Fact]
    public void More_queries_than_the_file_holds_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteGzip(Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), IdxTestFiles.Images(30, 1, 2, (_, _) => 1));
        IdxTestFiles.WriteGzip(Path.Combine(dir.Path, "t10k-images-idx3-ubyte.gz"), IdxTestFiles.Images(3, 1, 2, (_, _) => 1));

        var ex = Assert.Throws<UsageException>(() => DatasetCatalog.Load(DatasetCatalog.FashionMnist, dir.Path, null, 4));
        Assert.Contains("only 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_is_rejected_with_its_path()
    {
        using var dir = new TempDirectory();
        var train = Path.Combine(dir.Path, "train-images-idx3-ubyte.gz");
        IdxTestFiles.WriteGzip(train, IdxTestFiles.Images(3, 2, 2, (_, _) => 7)[..^3]);
        IdxTestFiles.WriteGzip(Path.Combine(dir.Path, "t10k-images-idx3-ubyte.gz"), IdxTestFiles.Images(3, 2, 2, (_, _) => 1));

        var ex = Assert.Throws<BenchException>(() => DatasetCatalog.Load(DatasetCatalog.FashionMnist, dir.Path, null, 1));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains(train, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_fashion_mnist_has_784_pixel_images_in_byte_range()
    {
        var dataset = DatasetCatalog.Load(DatasetCatalog.FashionMnist, directory: null, limit: 200, queryCount: 20);

        Assert.Equal(784, dataset.Dimension);
        Assert.Equal(200, dataset.Base.Length);
        Assert.Equal(20, dataset.Queries.Length);
        Assert.All(dataset.Base, v => Assert.All(v, x => Assert.InRange(x, 0f, 255f)));
        Assert.All(dataset.Base, v => Assert.Contains(v, x => x > 0f));
        Assert.NotEqual(dataset.Base[0], dataset.Queries[0]);
    }

    [Fact]
    public void Unknown_dataset_lists_the_known_ones()
    {
        var ex = Assert.Throws<UsageException>(() => DatasetCatalog.Load("sift-1m", null, null, 10));
        Assert.Contains(DatasetCatalog.FashionMnist, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_changes_with_any_component()
    {
        float[][] baseVectors = [[1, 2], [3, 4]];
        float[][] queries = [[5, 6]];
        var a = new Dataset("d", 2, baseVectors, queries);
        var same = new Dataset("d", 2, [[1, 2], [3, 4]], [[5, 6]]);
        var changed = new Dataset("d", 2, [[1, 2], [3, 4.5f]], [[5, 6]]);
        var moved = new Dataset("d", 2, [[1, 2]], [[3, 4], [5, 6]]);

        Assert.Equal(a.Fingerprint, same.Fingerprint);
        Assert.NotEqual(a.Fingerprint, changed.Fingerprint);
        Assert.NotEqual(a.Fingerprint, moved.Fingerprint);
    }
}
