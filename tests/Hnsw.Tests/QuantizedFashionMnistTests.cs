namespace Vectord.Hnsw.Tests;

/// <summary>Recall of int8 quantization with rescoring on real data: the first 10,000 fashion-mnist training images
/// as the base, 200 test images as queries (Debian package dataset-fashion-mnist), against brute force and against
/// the float index of the same items.</summary>
public sealed class QuantizedFashionMnistTests
{
    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Dot)]
    public void Int8_recall_at_ten_is_within_a_hair_of_the_float_index(DistanceKind kind)
    {
        (VectorItem[] items, float[][] queries) = TestData.FashionMnistSample;
        // Built on one thread, the two graphs are the same (the build links on the floats): only the search differs.
        HnswIndex floats = TestData.Build(kind, items, 784, maxDop: 1);
        HnswIndex quantized = TestData.Build(kind, items, 784, maxDop: 1, quantization: QuantizationKind.Int8);
        Assert.True(quantized.IsQuantized);

        foreach (int ef in new[] { 16, 64 })
        {
            double expected = TestData.Recall(floats, kind, items, queries, 10, ef);
            double actual = TestData.Recall(quantized, kind, items, queries, 10, ef);
            Assert.True(actual >= expected - 0.01, $"{kind} ef {ef}: int8 recall@10 {actual:F3}, float {expected:F3}");
            if (kind != DistanceKind.Dot)
            {
                // Under dot the nearest are the longest vectors, which the graph reaches less well with floats too.
                Assert.True(actual >= (ef == 16 ? 0.95 : 0.99), $"{kind} ef {ef}: int8 recall@10 {actual:F3}");
            }
        }
    }
}
