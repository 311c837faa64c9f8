namespace Vectord.Hnsw.Tests;

/// <summary>Recall@10 against exact brute force on seeded clustered data, for each distance.</summary>
public sealed class RecallTests
{
    private const int Dim = 48;

    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Dot)]
    public void RecallAtTenIsAtLeast095AtTheDefaultEf(DistanceKind kind)
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(5000, Dim, seed: 11));
        float[][] queries = TestData.Clustered(100, Dim, seed: 12);
        HnswIndex index = TestData.Build(kind, items, Dim);

        Assert.Equal(5000, index.Count);
        double recall = TestData.Recall(index, kind, items, queries, 10);
        Assert.True(recall >= 0.95, $"{kind}: recall@10 {recall:F3} < 0.95");
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Dot)]
    public void ReportedDistancesAreTheTrueDistancesInAscendingOrder(DistanceKind kind)
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(600, 16, seed: 21));
        HnswIndex index = TestData.Build(kind, items, 16);
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        foreach (float[] q in TestData.Clustered(20, 16, seed: 22))
        {
            SearchHit[] hits = index.Search(q, 10);
            Assert.Equal(10, hits.Length);
            for (int i = 0; i < hits.Length; i++)
            {
                double expected = TestData.Distance(kind, q, byId[hits[i].Id].Vector);
                Assert.True(Math.Abs(hits[i].Distance - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                    $"{kind}: {hits[i].Id} reported {hits[i].Distance}, true {expected}");
                if (i > 0)
                {
                    Assert.True(hits[i - 1].Distance <= hits[i].Distance);
                }
            }
        }
    }

    [Fact]
    public void SearchingForAStoredVectorFindsItFirst()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(2000, 24, seed: 31));
        HnswIndex index = TestData.Build(DistanceKind.Euclidean, items, 24);
        int found = 0;
        for (int i = 0; i < items.Length; i += 20)
        {
            SearchHit[] hits = index.Search(items[i].Vector, 1);
            if (hits[0].Id == items[i].Id && hits[0].Distance == 0f)
            {
                found++;
            }
        }
        Assert.True(found >= 99, $"only {found} of 100 stored vectors were found as their own nearest neighbour");
    }

    [Fact]
    public void SmallIndexesReturnEveryItem()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(7, 4, seed: 41));
        HnswIndex index = TestData.Build(DistanceKind.Euclidean, items, 4);
        SearchHit[] hits = index.Search(items[0].Vector, 10);
        Assert.Equal(7, hits.Length);
        Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), hits.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Empty(new HnswIndex(new HnswOptions(4)).Search([1, 0, 0, 0], 10));
        Assert.Empty(index.Search(items[0].Vector, 0));
    }
}
