using Vectord.Bench.Common;
using Vectord.Hnsw;

namespace Vectord.Bench.Tests;

public sealed class RecallTests
{
    private static Hnsw.SearchHit[] Hits(params int[] ids) => [.. ids.Select(i => new Hnsw.SearchHit(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0f, null))];

    [Fact]
    public void Mean_of_per_query_overlap_over_k()
    {
        Hnsw.SearchHit[][] found = [Hits(1, 2, 3, 4), Hits(9, 8, 7, 6)];
        int[][] truth = [[4, 3, 2, 1], [6, 5, 0, 10]];

        Assert.Equal((4 + 1) / 8.0, Recall.AtK(found, truth, 4), 12);
    }

    [Fact]
    public void Only_the_first_k_count_and_duplicates_count_once()
    {
        Hnsw.SearchHit[][] found = [Hits(5, 5, 0, 1)];
        int[][] truth = [[5, 1, 2]];

        Assert.Equal(1 / 2.0, Recall.AtK(found, truth, 2), 12);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected() =>
        Assert.Throws<ArgumentException>(() => Recall.AtK([Hits(1)], [[1], [2]], 1));
}
