namespace Vectord.Hnsw.Tests;

/// <summary>Recall on a real data set: the first 10,000 fashion-mnist training images as the base, 200 test images
/// as queries (Debian package dataset-fashion-mnist), at the default ef.</summary>
public sealed class FashionMnistTests
{
    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    public void RecallAtTenIsAtLeast095AtTheDefaultEf(DistanceKind kind)
    {
        (VectorItem[] items, float[][] queries) = TestData.FashionMnistSample;
        Assert.Equal(10_000, items.Length);
        Assert.Equal(784, items[0].Vector.Length);
        HnswIndex index = TestData.Build(kind, items, 784, maxDop: 2);

        double recall = TestData.Recall(index, kind, items, queries, 10);
        Assert.True(recall >= 0.95, $"{kind}: recall@10 {recall:F3} < 0.95 at ef {index.Options.EfSearch}");
    }
}
