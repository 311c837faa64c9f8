using Vectord.Bench.Common;
using Vectord.Bench.Data;

namespace Vectord.Bench.Tests;

public sealed class IdxImagesTests
{
    [Fact]
    public void Reads_pixels_as_floats_in_row_major_order()
    {
        var bytes = IdxTestFiles.Images(3, 2, 3, (i, j) => (byte)(i * 10 + j));

        var vectors = IdxImages.Read(new MemoryStream(bytes), maxCount: null, out var dimension);

        Assert.Equal(6, dimension);
        Assert.Equal(3, vectors.Length);
        Assert.Equal([20f, 21f, 22f, 23f, 24f, 25f], vectors[2]);
    }

    [Fact]
    public void Max_count_reads_only_the_first_images()
    {
        var bytes = IdxTestFiles.Images(5, 1, 4, (i, j) => (byte)(i + j));

        var vectors = IdxImages.Read(new MemoryStream(bytes), maxCount: 2, out _);

        Assert.Equal(2, vectors.Length);
        Assert.Equal([1f, 2f, 3f, 4f], vectors[1]);
    }

    [Fact]
    public void Gzip_file_reads_like_the_raw_one()
    {
        using var dir = new TempDirectory();
        var bytes = IdxTestFiles.Images(4, 2, 2, (i, j) => (byte)(255 - i - j));
        var gz = Path.Combine(dir.Path, "images.gz");
        var raw = Path.Combine(dir.Path, "images");
        IdxTestFiles.WriteGzip(gz, bytes);
        File.WriteAllBytes(raw, bytes);

        var fromGz = IdxImages.Read(gz, null, out var dimGz);
        var fromRaw = IdxImages.Read(raw, null, out var dimRaw);

        Assert.Equal(4, dimGz);
        Assert.Equal(dimRaw, dimGz);
        Assert.Equal(fromRaw, fromGz);
        Assert.Equal(252f, fromGz[3][0]);
    }

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        var labels = IdxTestFiles.Images(2, 1, 1, (_, _) => 0, magic: 0x00000801);

        var ex = Assert.Throws<InvalidDataException>(() => IdxImages.Read(new MemoryStream(labels), null, out _));
        Assert.Contains("0x00000801", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_is_rejected_with_its_path()
    {
        using var dir = new TempDirectory();
        var bytes = IdxTestFiles.Images(3, 2, 2, (_, _) => 7);
        var path = Path.Combine(dir.Path, "short.gz");
        IdxTestFiles.WriteGzip(path, bytes[..^3]);

        var ex = Assert.Throws<BenchException>(() => IdxImages.Read(path, null, out _));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
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
}
