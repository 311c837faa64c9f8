using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>
/// Filtered searches, counts and id matchers on several threads while one writer upserts items (moving them in and
/// out of the filter), deletes and re-adds them: every hit matches the filter by the metadata it carries (the payload
/// index and the metadata change in the same writer's turn), nothing throws, and once the writer stops the answers
/// equal brute force. Run again on every SIMD path by the test script (its class name ends like the engine's
/// other reads-beside-writes tests).
/// </summary>
public sealed class FilteredReadsBesideWritesTests
{
    private const int Dim = 16;
    private const int Count = 3000;

    private static byte[] Meta(int color, int version) => Encoding.UTF8.GetBytes($"{{\"color\":{color},\"v\":{version}}}");

    private static int ColorOf(byte[]? metadata) => JsonDocument.Parse(metadata!).RootElement.GetProperty("color").GetInt32();

    [Theory]
    [InlineData(null)]
    [InlineData(FilterStrategy.Exact)]
    [InlineData(FilterStrategy.Graph)]
    public void Filtered_reads_beside_one_writer_only_ever_return_matches(FilterStrategy? strategy)
    {
        float[][] vectors = TestData.Clustered(Count, Dim, seed: 21);
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 8, EfConstruction: 64));
        var colors = new int[Count];
        index.AddBatch([.. Enumerable.Range(0, Count).Select(i => new VectorItem($"v{i}", vectors[i], Meta(colors[i] = i % 5, 0)))]);
        var red = new ValueIn("color", [PayloadValue.Of(2)]);
        var failures = new ConcurrentQueue<string>();
        var writing = true;

        var readers = Enumerable.Range(0, 3).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (Volatile.Read(ref writing) && DateTime.UtcNow < deadline)
            {
                try
                {
                    SearchHit[] hits = index.Search(vectors[random.Next(Count)], 10, 32, red, strategy, out FilterPlan plan);
                    if (hits.Length == 0 || hits.Length > 10) { failures.Enqueue($"{hits.Length} hits with {plan.Matches} matches"); }
                    foreach (SearchHit hit in hits.Where(h => ColorOf(h.Metadata) != 2)) { failures.Enqueue($"{hit.Id} does not match"); }
                    if (index.CountMatching(red) is < 1 or > Count) { failures.Enqueue("count out of range"); }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"reader {r}: {e}");
                }
            }
        })).ToArray();
        foreach (var reader in readers) { reader.Start(); }

        try
        {
            var random = new Random(99);
            for (int round = 1; round <= 40; round++)
            {
                // Upserts move items in and out of the filter, deletes take some out, re-adds bring them back.
                var batch = Enumerable.Range(0, 60).Select(_ => random.Next(Count)).Distinct()
                    .Select(i => new VectorItem($"v{i}", vectors[(i + round) % Count], Meta(colors[i] = random.Next(5), round))).ToList();
                index.AddBatch(batch);
                for (int d = 0; d < 10; d++)
                {
                    int i = random.Next(Count);
                    if (colors[i] >= 0 && index.Delete($"v{i}")) { colors[i] = -1 - colors[i]; }
                }
                foreach (int i in Enumerable.Range(0, Count).Where(i => colors[i] < 0).Take(5).ToList())
                {
                    colors[i] = -1 - colors[i];
                    index.AddBatch([new VectorItem($"v{i}", vectors[i], Meta(colors[i], round))]);
                }
            }
        }
        finally
        {
            Volatile.Write(ref writing, false);
            foreach (var reader in readers) { reader.Join(); }
        }
        Assert.Empty(failures);

        var expected = Enumerable.Range(0, Count).Where(i => colors[i] == 2).Select(i => $"v{i}").ToHashSet();
        Assert.Equal(expected.Count, index.CountMatching(red, TestContext.Current.CancellationToken));
        Assert.Equal(expected.Order(StringComparer.Ordinal), index.MatchingIds(red, TestContext.Current.CancellationToken).Order(StringComparer.Ordinal));
        var matcher = index.Matcher(red, TestContext.Current.CancellationToken);
        Assert.All(Enumerable.Range(0, Count), i => Assert.Equal(colors[i] == 2, matcher($"v{i}")));
    }
}
