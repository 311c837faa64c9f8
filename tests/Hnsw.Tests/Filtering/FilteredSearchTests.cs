using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>
/// Filtered search on real data: the first 10,000 fashion-mnist training images with metadata built from the data
/// set (their class, and arithmetic on their number), 100 test images as queries with their own classes. Every
/// filter, from half the items down to one, keeps recall@10 against a brute-force scan of the matches at or above
/// 0.95, and is exact wherever fewer than 1% of the items match.
/// </summary>
public sealed class FilteredSearchTests
{
    private const string Directory = "/usr/share/datasets/fashion-mnist";
    private const int Count = 10_000;
    private static readonly string[] Tags = [.. Enumerable.Range(0, 20).Select(t => $"t{t}")];

    private static readonly Lazy<Data> Fashion = new(() =>
    {
        float[][] vectors = TestData.ReadIdxImages(Path.Combine(Directory, "train-images-idx3-ubyte.gz"), Count);
        byte[] labels = TestData.ReadIdxLabels(Path.Combine(Directory, "train-labels-idx1-ubyte.gz"), Count);
        float[][] queries = TestData.ReadIdxImages(Path.Combine(Directory, "t10k-images-idx3-ubyte.gz"), 100);
        byte[] queryLabels = TestData.ReadIdxLabels(Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz"), 100);
        var items = new VectorItem[Count];
        var metadata = new Meta[Count];
        for (int i = 0; i < Count; i++)
        {
            var random = new Random(i);
            string[] tags = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Tags[random.Next(Tags.Length)]).Distinct()];
            metadata[i] = new Meta(labels[i], i % 2, i % 1000, i % 10000, tags);
            string json = $$"""{"label":{{labels[i]}},"half":{{i % 2}},"bucket":{{i % 1000}},"rare":{{i % 10000}},"tags":[{{string.Join(",", tags.Select(t => $"\"{t}\""))}}]}""";
            items[i] = new VectorItem($"v{i}", vectors[i], Encoding.UTF8.GetBytes(json));
        }
        var index = new HnswIndex(new HnswOptions(784, DistanceKind.Euclidean));
        index.AddBatch(items, 2);
        return new Data(index, items, metadata, queries, queryLabels);
    });

    private sealed record Meta(int Label, int Half, int Bucket, int Rare, string[] Tags);

    private sealed record Data(HnswIndex Index, VectorItem[] Items, Meta[] Metadata, float[][] Queries, byte[] QueryLabels);

    /// <summary>A filter for query <c>q</c> of a given label, and the same rule over an item's metadata.</summary>
    private sealed record Case(string Name, Func<int, PayloadFilter> Filter, Func<int, Meta, bool> Matches);

    private static readonly Case[] Cases =
    [
        new("half", _ => new ValueIn("half", [PayloadValue.Of(0)]), (_, m) => m.Half == 0),
        new("own label", l => new ValueIn("label", [PayloadValue.Of(l)]), (l, m) => m.Label == l),
        new("far label", l => new ValueIn("label", [PayloadValue.Of((l + 5) % 10)]), (l, m) => m.Label == (l + 5) % 10),
        new("bucket", _ => new ValueIn("bucket", [PayloadValue.Of(7)]), (_, m) => m.Bucket == 7),
        new("rare", _ => new ValueIn("rare", [PayloadValue.Of(42)]), (_, m) => m.Rare == 42),
        new("tags", _ => new ValueIn("tags", [PayloadValue.Of("t3"), PayloadValue.Of("t11")]), (_, m) => m.Tags.Contains("t3") || m.Tags.Contains("t11")),
        new("label and range", l => new AllOf([new ValueIn("label", [PayloadValue.Of(l)]), new NumberRange("bucket", null, null, 100, null)]),
            (l, m) => m.Label == l && m.Bucket < 100),
        new("not half", _ => new NotOf(new ValueIn("half", [PayloadValue.Of(0)])), (_, m) => m.Half != 0),
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Filtered_recall_at_ten_is_at_least_095_and_exact_below_one_percent(string name)
    {
        Case c = Cases.Single(c => c.Name == name);
        Data data = Fashion.Value;
        double total = 0;
        int matching = 0;
        for (int q = 0; q < data.Queries.Length; q++)
        {
            int label = data.QueryLabels[q];
            var matches = Enumerable.Range(0, Count).Where(i => c.Matches(label, data.Metadata[i])).Select(i => data.Items[i]).ToList();
            matching = matches.Count;
            string[] exact = TestData.Exact(DistanceKind.Euclidean, matches, data.Queries[q], 10);
            SearchHit[] hits = data.Index.Search(data.Queries[q], 10, 0, c.Filter(label), out FilterPlan plan);

            Assert.Equal(matches.Count, plan.Matches);
            Assert.Equal(Math.Min(10, matches.Count), hits.Length);
            var allowed = matches.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            Assert.All(hits, h => Assert.Contains(h.Id, allowed));
            Assert.Equal(hits.OrderBy(h => h.Distance).Select(h => h.Id), hits.Select(h => h.Id));
            double recall = exact.Length == 0 ? 1 : hits.Count(h => exact.Contains(h.Id)) / (double)exact.Length;
            if (matches.Count < Count / 100)
            {
                Assert.Equal(FilterStrategy.Exact, plan.Strategy);
                Assert.Equal(1.0, recall);
            }
            total += recall;
        }
        double mean = total / data.Queries.Length;
        Assert.True(mean >= 0.95, $"{name}: recall@10 {mean:F3} < 0.95 ({matching} of {Count} match the last query's filter)");
    }

    /// <summary>The graph strategy alone, forced on every filter (the planner gives the small ones to an exact scan):
    /// both of its searches, the beam search that skips non-matches and the one over the matches' subgraph (taken
    /// when the query's region holds few matches), keep recall up at every share.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_graph_strategy_keeps_recall_at_ten_at_least_090_at_any_share(string name)
    {
        Case c = Cases.Single(c => c.Name == name);
        Data data = Fashion.Value;
        double total = 0;
        for (int q = 0; q < data.Queries.Length; q++)
        {
            int label = data.QueryLabels[q];
            var matches = Enumerable.Range(0, Count).Where(i => c.Matches(label, data.Metadata[i])).Select(i => data.Items[i]).ToList();
            string[] exact = TestData.Exact(DistanceKind.Euclidean, matches, data.Queries[q], 10);
            SearchHit[] hits = data.Index.Search(data.Queries[q], 10, 0, c.Filter(label), FilterStrategy.Graph, out _, TestContext.Current.CancellationToken);
            var allowed = matches.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            Assert.All(hits, h => Assert.Contains(h.Id, allowed));
            total += exact.Length == 0 ? 1 : hits.Count(h => exact.Contains(h.Id)) / (double)exact.Length;
        }
        double mean = total / data.Queries.Length;
        Assert.True(mean >= 0.90, $"{name}: graph recall@10 {mean:F3} < 0.90");
    }

    [Fact]
    public void Count_and_matching_ids_equal_brute_force()
    {
        Data data = Fashion.Value;
        foreach (Case c in Cases)
        {
            var expected = Enumerable.Range(0, Count).Where(i => c.Matches(3, data.Metadata[i])).Select(i => $"v{i}").ToHashSet();
            Assert.Equal(expected.Count, data.Index.CountMatching(c.Filter(3), TestContext.Current.CancellationToken));
            Assert.Equal(expected.Order(StringComparer.Ordinal), data.Index.MatchingIds(c.Filter(3), TestContext.Current.CancellationToken).Order(StringComparer.Ordinal));
        }
    }
}
