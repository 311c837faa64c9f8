namespace Vectord.Hnsw.Tests;

/// <summary>
/// Golden/v3-named-50.vhnsw is an index with two named vectors written once (see
/// <see cref="GoldenFileGenerator.BuildNamed"/>): "body" (dimension 8, euclidean) and "thumb" (dimension 3, cosine,
/// int8), the 50 items and metadata of the version-1 golden file, g03/g17/g28/g41 deleted. Every version of the engine
/// must read it as it was written.
/// </summary>
public sealed class GoldenNamedFileTests
{
    private static readonly string GoldenPath = GoldenFiles.Path("v3-named-50.vhnsw");

    private static HnswIndex LoadGolden() => GoldenFiles.Load(GoldenPath);

    [Fact]
    public void OptionsItemsVectorsAndMetadataAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        Assert.Equal(HnswOptions.ForVectors(GoldenFileGenerator.NamedSpaces, m: 4, efConstruction: 32, efSearch: 64, seed: 7), index.Options);
        Assert.Equal(46, index.Count);
        foreach (string id in index.GetIds())
        {
            int i = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(index.TryGet(id, out VectorItem? item));
            Assert.Equal(GoldenFileGenerator.Vector(i), GoldenFileGenerator.NamedSpaces.Segment(item.Vector, 0).ToArray());
            float[] thumb = GoldenFileGenerator.Thumb(i);
            float norm = MathF.Sqrt(thumb.Sum(x => x * x));
            Assert.Equal(thumb.Select(x => x / norm).ToArray(), GoldenFileGenerator.NamedSpaces.Segment(item.Vector, 1).ToArray(),
                EqualityComparer<float>.Create((a, b) => Math.Abs(a - b) <= 1e-6f, _ => 0));
            Assert.Equal(GoldenFileGenerator.Metadata(i), item.Metadata);
        }
        Assert.False(index.Contains("g17"));
    }

    [Fact]
    public void SearchesByEitherVectorAreThoseOfTheIndexBuiltNow()
    {
        HnswIndex index = LoadGolden();
        HnswIndex built = GoldenFileGenerator.BuildNamed();
        var ct = TestContext.Current.CancellationToken;
        foreach (int q in new[] { 0, 9, 33 })
        {
            Assert.Equal(Ids(built.Search("body", GoldenFileGenerator.Vector(q), 5, 0, null, ct)), Ids(index.Search("body", GoldenFileGenerator.Vector(q), 5, 0, null, ct)));
            Assert.Equal(Ids(built.Search("thumb", GoldenFileGenerator.Thumb(q), 5, 0, null, ct)), Ids(index.Search("thumb", GoldenFileGenerator.Thumb(q), 5, 0, null, ct)));
        }
        SearchHit[] thumbs = index.Search("thumb", GoldenFileGenerator.Thumb(12), 1, 64, null, ct);
        Assert.Equal("g12", thumbs[0].Id);
        Assert.Equal(GoldenFileGenerator.Metadata(12), thumbs[0].Metadata);
    }

    [Fact]
    public void SavingTheLoadedIndexReproducesTheFileByteForByte()
    {
        byte[] golden = File.ReadAllBytes(GoldenPath);
        Assert.Equal(8209, golden.Length);
        using var copy = new MemoryStream();
        LoadGolden().Save(copy);
        Assert.Equal(golden, copy.ToArray());
    }

    private static string[] Ids(SearchHit[] hits) => [.. hits.Select(h => $"{h.Id} {h.Distance}")];
}
