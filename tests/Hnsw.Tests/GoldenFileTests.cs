using System.Text;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// Golden/v1-euclidean-50x8.vhnsw is a format-version-1 file written once (see <see cref="GoldenFileGenerator"/>):
/// 50 items of dimension 8 under euclidean distance, M 4, g03/g17/g28/g41 deleted; metadata by i % 5:
/// 0 none, 1 <c>{}</c>, 2 empty, else <c>{"i":N}</c>. Every version of the engine must read it as it was written.
/// </summary>
public sealed class GoldenFileTests
{
    private static readonly string GoldenPath = GoldenFiles.Path("v1-euclidean-50x8.vhnsw");

    private static HnswIndex LoadGolden() => GoldenFiles.Load(GoldenPath);

    /// <summary>Component j of item i, as the file was generated (written out here independently of the generator).</summary>
    private static float Component(int i, int j) => j == 0 ? (i - 25) / 4f : ((((i * 13) + (j * 7) + (i * j * 3)) % 29) - 14) / 4f;

    [Fact]
    public void OptionsAndIdsAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        Assert.Equal(new HnswOptions(8, DistanceKind.Euclidean, M: 4, EfConstruction: 32, EfSearch: 64, Seed: 7), index.Options);
        Assert.Equal(46, index.Count);
        Assert.Equal(
            "g00,g01,g02,g04,g05,g06,g07,g08,g09,g10,g11,g12,g13,g14,g15,g16,g18,g19,g20,g21,g22,g23,g24,g25,g26,g27,"
            + "g29,g30,g31,g32,g33,g34,g35,g36,g37,g38,g39,g40,g42,g43,g44,g45,g46,g47,g48,g49",
            string.Join(',', index.GetIds()));
        foreach (string deleted in new[] { "g03", "g17", "g28", "g41" })
        {
            Assert.False(index.Contains(deleted));
        }
    }

    [Fact]
    public void VectorsAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        Assert.True(index.TryGet("g00", out VectorItem? g00));
        Assert.Equal([-6.25f, -1.75f, 0f, 1.75f, 3.5f, -2f, -0.25f, 1.5f], g00.Vector);
        Assert.True(index.TryGet("g49", out VectorItem? g49));
        Assert.Equal([6f, -1.5f, 0.75f, 3f, -2f, 0.25f, 2.5f, -2.5f], g49.Vector);
        for (int i = 0; i < 50; i++)
        {
            if (index.TryGet($"g{i:D2}", out VectorItem? item))
            {
                Assert.Equal(Enumerable.Range(0, 8).Select(j => Component(i, j)), item.Vector);
            }
        }
    }

    [Fact]
    public void MetadataBytesAreAsWrittenWithNullAndEmptyDistinct()
    {
        HnswIndex index = LoadGolden();
        Assert.True(index.TryGet("g00", out VectorItem? none));
        Assert.Null(none.Metadata);
        Assert.True(index.TryGet("g01", out VectorItem? braces));
        Assert.Equal("{}"u8.ToArray(), braces.Metadata);
        Assert.True(index.TryGet("g02", out VectorItem? empty));
        Assert.NotNull(empty.Metadata);
        Assert.Empty(empty.Metadata);
        Assert.True(index.TryGet("g04", out VectorItem? set));
        Assert.Equal("{\"i\":4}"u8.ToArray(), set.Metadata);
        foreach (string id in index.GetIds())
        {
            int i = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(index.TryGet(id, out VectorItem? item));
            byte[]? expected = (i % 5) switch
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
    public void SearchResultsAreAsWritten()
    {
        HnswIndex index = LoadGolden();
        SearchHit[] first = index.Search([0.3f, -1.1f, 2.2f, 0.5f, 0.05f, -0.25f, 1.3f, 1.7f], 6);
        Assert.Equal(["g22", "g18", "g34", "g29", "g19", "g16"], first.Select(h => h.Id));
        Assert.Equal([4.5645375f, 4.703456f, 4.838388f, 4.9721727f, 5.1826634f, 5.2306786f], first.Select(h => h.Distance).ToArray(), FloatComparer);
        Assert.Equal(["", "{\"i\":18}", "{\"i\":34}", "{\"i\":29}", "{\"i\":19}", "{}"], first.Select(h => Encoding.UTF8.GetString(h.Metadata!)));

        SearchHit[] second = index.Search([-2.1f, -2f, -1.9f, -2f, -2.2f, -2f, -1.7f, -2f], 6);
        Assert.Equal(["g27", "g26", "g18", "g11", "g04", "g15"], second.Select(h => h.Id));
        Assert.Equal([2.9643717f, 4.84768f, 6.5278254f, 6.840139f, 6.8602114f, 6.9740586f], second.Select(h => h.Distance).ToArray(), FloatComparer);
        Assert.Null(second[5].Metadata);
        Assert.Empty(second[0].Metadata!);
    }

    [Fact]
    public void SavingTheLoadedIndexReproducesTheFileByteForByte()
    {
        byte[] golden = File.ReadAllBytes(GoldenPath);
        Assert.Equal(4670, golden.Length);
        using var copy = new MemoryStream();
        LoadGolden().Save(copy);
        Assert.Equal(golden, copy.ToArray());
    }

    private static readonly IEqualityComparer<float> FloatComparer =
        EqualityComparer<float>.Create((a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1f, Math.Abs(a)), x => 0);
}
