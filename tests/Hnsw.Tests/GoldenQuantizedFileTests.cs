namespace Vectord.Hnsw.Tests;

/// <summary>
/// Golden/v2-int8-euclidean-300x8.vhnsw is a format-version-2 file written once (see
/// <see cref="GoldenFileGenerator.BuildQuantized"/>): 300 items of dimension 8 under euclidean distance and int8
/// quantization, M 4, the quantizer trained on the first 260 items, g03/g17/g28/g41/g150/g299 deleted; vectors and
/// metadata as in the version-1 file. Every later version of the engine must read it as it was written.
/// </summary>
public sealed class GoldenQuantizedFileTests
{
    private static readonly string GoldenPath = GoldenFiles.Path("v2-int8-euclidean-300x8.vhnsw");

    private static HnswIndex LoadGolden() => GoldenFiles.Load(GoldenPath);

    /// <summary>Component j of item i, as the file was generated (written out here independently of the generator).</summary>
    private static float[] Vector(int i) =>
        [.. Enumerable.Range(0, 8).Select(j => j == 0 ? (i - 25) / 4f : ((((i * 13) + (j * 7) + (i * j * 3)) % 29) - 14) / 4f)];

    [Fact]
    public void OptionsItemsAndTheQuantizerAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        Assert.Equal(new HnswOptions(8, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7, Quantization: QuantizationKind.Int8),
            index.Options);
        Assert.True(index.IsQuantized);
        Assert.Equal(294, index.Count);
        int[] deleted = [3, 17, 28, 41, 150, 299];
        for (int i = 0; i < 300; i++)
        {
            string id = $"g{i:D2}";
            Assert.Equal(!deleted.Contains(i), index.TryGet(id, out VectorItem? item));
            if (item is not null)
            {
                Assert.Equal(Vector(i), item.Vector);
            }
        }
    }

    [Fact]
    public void SearchesOnTheSavedCodesGiveTheRecordedHitsWithFloatDistances()
    {
        HnswIndex index = LoadGolden();
        float[] first = [0.3f, -1.1f, 2.2f, 0.5f, 0.05f, -0.25f, 1.3f, 1.7f];
        SearchHit[] hits = index.Search(first, 6);
        Assert.Equal(["g22", "g18", "g34", "g29", "g19", "g16"], hits.Select(h => h.Id));
        Assert.Equal([4.5645375f, 4.703456f, 4.838388f, 4.9721727f, 5.1826634f, 5.2306786f], hits.Select(h => h.Distance));

        // Near the items whose first component lies above the trained range (codes clamped).
        float[] second = [66f, -2f, -1.9f, -2f, -2.2f, -2f, -1.7f, -2f];
        hits = index.Search(second, 6);
        Assert.Equal(["g288", "g287", "g294", "g292", "g286", "g293"], hits.Select(h => h.Id));
        Assert.Equal([1.4456832f, 4.2693677f, 6.221133f, 6.3523617f, 6.7492595f, 6.894019f], hits.Select(h => h.Distance));
        foreach (SearchHit hit in hits)
        {
            double exact = TestData.Distance(DistanceKind.Euclidean, second, Vector(int.Parse(hit.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(exact, hit.Distance, 1e-5);
        }
    }

    [Fact]
    public void SavingTheLoadedIndexReproducesTheFileByteForByte()
    {
        byte[] golden = File.ReadAllBytes(GoldenPath);
        Assert.Equal(30381, golden.Length);
        Assert.Equal(2, BitConverter.ToInt32(golden, 5));
        using var copy = new MemoryStream();
        LoadGolden().Save(copy);
        Assert.Equal(golden, copy.ToArray());
    }

    [Fact]
    public void TheVersionOneFileStillLoadsWithoutQuantization()
    {
        using FileStream file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Golden", "v1-euclidean-50x8.vhnsw"));
        HnswIndex index = HnswIndex.Load(file);
        Assert.Equal(QuantizationKind.None, index.Options.Quantization);
        Assert.False(index.IsQuantized);
    }
}
