using System.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// Golden/v1-novectors-50.vhnsw is an index without vectors written once (see
/// <see cref="GoldenFileGenerator.BuildNoVectors"/>): 50 ids g00–g49 of dimension 0, g03/g17/g28/g41 deleted, then
/// g03 added again into its old slot; metadata by i % 5 as in the version-1 golden file, g03's <c>{"again":true}</c>.
/// Every version of the engine must read it as it was written.
/// </summary>
public sealed class GoldenNoVectorsFileTests
{
    private static readonly string GoldenPath = GoldenFiles.Path("v1-novectors-50.vhnsw");

    private static HnswIndex LoadGolden() => GoldenFiles.Load(GoldenPath);

    [Fact]
    public void OptionsIdsAndMetadataAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        Assert.Equal(new HnswOptions(0, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7), index.Options);
        Assert.False(index.HasVectors);
        Assert.Equal(47, index.Count);
        // g03 took its old slot back, so it lists where it was first added.
        Assert.Equal(string.Join(',', Enumerable.Range(0, 50).Where(i => i is not (17 or 28 or 41)).Select(i => $"g{i:D2}")),
            string.Join(',', index.GetIds()));
        foreach (string id in index.GetIds())
        {
            int i = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(index.TryGet(id, out VectorItem? item));
            Assert.Empty(item.Vector);
            byte[]? expected = i == 3 ? """{"again":true}"""u8.ToArray() : (i % 5) switch
            {
                0 => null,
                1 => "{}"u8.ToArray(),
                2 => [],
                _ => Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"),
            };
            Assert.Equal(expected, item.Metadata);
        }
    }

    [Fact]
    public void TheLoadedIndexTakesWritesAndFiltersAsOneBuiltNow()
    {
        HnswIndex index = LoadGolden();
        HnswIndex built = GoldenFileGenerator.BuildNoVectors();
        var filter = new Vectord.Hnsw.Filtering.NumberRange("i", null, 20, null, null);
        Assert.Equal(built.MatchingIds(filter, TestContext.Current.CancellationToken), index.MatchingIds(filter, TestContext.Current.CancellationToken));
        index.AddBatch([new VectorItem("late", [], null)]);
        built.AddBatch([new VectorItem("late", [], null)]);
        Assert.Equal(built.GetIds(), index.GetIds());
        Assert.Throws<ArgumentException>(() => index.Search([], 1));
    }

    [Fact]
    public void SavingTheLoadedIndexReproducesTheFileByteForByte()
    {
        byte[] golden = File.ReadAllBytes(GoldenPath);
        Assert.Equal(1131, golden.Length);
        using var copy = new MemoryStream();
        LoadGolden().Save(copy);
        Assert.Equal(golden, copy.ToArray());
        using var fresh = new MemoryStream();
        GoldenFileGenerator.BuildNoVectors().Save(fresh);
        Assert.Equal(golden, fresh.ToArray());
    }
}
