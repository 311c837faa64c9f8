using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Vectord.Grains.Tests;

/// <summary>An index created with int8 quantization, through the grain API on the file backend: the option is kept
/// and reported, searches answer with exact distances, and snapshots carry it into every restore.</summary>
[Collection(FileCluster.Name)]
public sealed class QuantizedIndexTests(FileClusterFixture fixture)
{
    private const int Dim = 8;

    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    /// <summary>The exact k nearest distances, and the index's answer at a wide beam, agree.</summary>
    private async Task AssertExactAsync(string name, IndexItem[] items, IndexDistance distance)
    {
        foreach (var query in TestData.Vectors(10, Dim, seed: 77))
        {
            var expected = items.Select(i => TestData.Distance(distance, query, i.Vector)).Order().Take(5);
            var hits = await Index(name).SearchAsync(query, k: 5, ef: 200);
            Assert.Equal(expected, hits.Select(h => (double)h.Distance), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Theory]
    [InlineData(IndexDistance.Euclidean)]
    [InlineData(IndexDistance.Cosine)]
    [InlineData(IndexDistance.Dot)]
    public async Task The_option_is_kept_searches_are_exact_and_snapshots_restore_it(IndexDistance distance)
    {
        var name = TestData.Name("int8");
        var info = await Index(name).CreateAsync(new IndexSpec(Dim, Distance: distance, Shards: 2, Quantization: IndexQuantization.Int8));
        Assert.Equal(IndexQuantization.Int8, info.Quantization);
        // Enough items for each shard to train its quantizer (256).
        var items = TestData.Items(700, Dim, seed: 21);
        await Index(name).AddAsync(items);
        Assert.Equal((IndexQuantization.Int8, 700), ((await Index(name).GetInfoAsync()).Quantization, (await Index(name).GetInfoAsync()).Length));
        await AssertExactAsync(name, items, distance);

        var snapshot = await Index(name).CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);
        int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        using (var header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 16, length)))
        {
            Assert.Equal("int8", header.RootElement.GetProperty("quantization").GetString());
        }
        foreach (var shards in new[] { 0, 3 })
        {
            // Into the same count the parts' engine images (codes included) are kept; into 3 they are rebuilt.
            var restored = TestData.Name("int8-r");
            var restoredInfo = await SnapshotTransfer.RestoreAsync(fixture.Grains, file, restored, shards);
            Assert.Equal((IndexQuantization.Int8, 700), (restoredInfo.Quantization, restoredInfo.Length));
            await AssertExactAsync(restored, items, distance);
        }
    }

    [Fact]
    public async Task The_default_is_none_and_an_unknown_quantization_is_refused()
    {
        var plain = await Index(TestData.Name("plain")).CreateAsync(new IndexSpec(Dim));
        Assert.Equal(IndexQuantization.None, plain.Quantization);
        var name = TestData.Name("badq");
        var error = await Assert.ThrowsAsync<InvalidIndexArgumentException>(
            () => Index(name).CreateAsync(new IndexSpec(Dim, Quantization: (IndexQuantization)9)));
        Assert.Equal("unknown quantization", error.Message);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(name).GetInfoAsync());
    }
}
