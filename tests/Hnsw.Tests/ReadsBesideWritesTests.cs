using System.Collections.Concurrent;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// Searches and gets on several threads while one writer inserts (growing the arrays and moving the entry point),
/// replaces and deletes: no exception, no torn answer (every hit carries the distance to a vector its id really
/// had), every acknowledged add visible at once, and the final state searched as well as a serial build would be;
/// with and without int8 quantization (whose codes are retrained while the readers run), with the vectors on the heap
/// and in a mapped file. Run again on every SIMD
/// path by the test script.
/// </summary>
public sealed class ReadsBesideWritesTests
{
    private const int Dim = 24;

    [Theory]
    [InlineData(DistanceKind.Euclidean, QuantizationKind.None)]
    [InlineData(DistanceKind.Cosine, QuantizationKind.None)]
    [InlineData(DistanceKind.Dot, QuantizationKind.None)]
    [InlineData(DistanceKind.Euclidean, QuantizationKind.Int8)]
    [InlineData(DistanceKind.Cosine, QuantizationKind.Int8)]
    [InlineData(DistanceKind.Dot, QuantizationKind.Int8)]
    [InlineData(DistanceKind.Euclidean, QuantizationKind.Int8, true)]
    [InlineData(DistanceKind.Cosine, QuantizationKind.None, true)]
    public void Searches_beside_one_writer_never_fail_never_tear_and_see_every_acknowledged_add(DistanceKind kind, QuantizationKind quantization, bool vectorFile = false)
    {
        using var directory = new Vectord.Testing.TempDirectory("vectors");
        float[][] vectors = TestData.Clustered(4000, Dim, seed: 7);
        float[][] replacements = TestData.Clustered(600, Dim, seed: 8);
        float[][] queries = TestData.Clustered(64, Dim, seed: 9);
        // Starts tiny, so the arrays grow several times while readers run; the first items also move the entry point.
        // Under int8 the quantizer is trained at 256 items and again at 512, 1024 and 2048, while readers run.
        // In a vector file, every growth maps the longer file and unmaps the old mapping while readers run.
        var index = new HnswIndex(new HnswOptions(Dim, kind, M: 8, EfConstruction: 64, Quantization: quantization),
            vectorFile ? directory.Combine("part.vectors") : null);
        var history = new ConcurrentDictionary<string, ConcurrentBag<float[]>>();   // every vector an id has had
        var acknowledged = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<string>();
        var deleted = new HashSet<string>();
        var writing = true;

        var readers = Enumerable.Range(0, 3).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Volatile.Read(ref writing) && DateTime.UtcNow < deadline)
            {
                try
                {
                    // An add acknowledged before the read began is seen (replaced or deleted ids excepted below).
                    string[] seen = [.. acknowledged];
                    string? probe = seen.Length == 0 ? null : seen[random.Next(seen.Length)];
                    float[] query = queries[random.Next(queries.Length)];
                    SearchHit[] hits = index.Search(query, 10, 32);
                    Check(kind, query, hits, history, failures);
                    if (probe is not null && !probe.StartsWith('d') && !index.Contains(probe))
                    {
                        failures.Enqueue($"acknowledged {probe} not visible");
                    }
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
            for (int b = 0; b < vectors.Length / 100; b++)
            {
                // Ids of items that will be deleted later start with 'd': only those may disappear.
                var batch = Enumerable.Range(b * 100, 100)
                    .Select(i => new VectorItem(i % 7 == 0 ? $"d{i}" : $"v{i}", vectors[i])).ToArray();
                foreach (var item in batch) { history.GetOrAdd(item.Id, _ => []).Add(item.Vector); }
                index.AddBatch(batch, maxDegreeOfParallelism: 1);
                foreach (var item in batch) { acknowledged.Enqueue(item.Id); }
                if (b % 4 == 3)
                {
                    // Replace some earlier items in place, delete some, and reuse the tombstones with new items.
                    var replaced = Enumerable.Range(0, 15).Select(j => (b * 100) - (j * 13) - 1).Where(i => i >= 0 && i % 7 != 0)
                        .Select(i => new VectorItem($"v{i}", replacements[i % replacements.Length])).ToArray();
                    foreach (var item in replaced) { history.GetOrAdd(item.Id, _ => []).Add(item.Vector); }
                    index.AddBatch(replaced, maxDegreeOfParallelism: 1);
                    for (int i = (b - 3) * 100; i < b * 100; i++)
                    {
                        if (i % 7 == 0 && index.Delete($"d{i}")) { deleted.Add($"d{i}"); }
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref writing, false);
            foreach (var reader in readers) { reader.Join(); }
        }
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));

        // The final state: live items as a brute-force scan sees them, and the index's recall against it.
        var live = history.Keys.Where(index.Contains).Select(id => index.TryGet(id, out var item) ? item : null).OfType<VectorItem>().ToArray();
        Assert.Equal(live.Length, index.Count);
        Assert.Equal(history.Count - deleted.Count, index.Count);
        Assert.True(deleted.Count > 400);
        double recall = queries.Average(q =>
        {
            var exact = TestData.Exact(kind, live, q, 10);
            return index.Search(q, 10, 128).Count(h => exact.Contains(h.Id)) / 10.0;
        });
        Assert.True(recall >= 0.95, $"recall {recall}");
        Assert.Equal(quantization == QuantizationKind.Int8, index.IsQuantized);
    }

    private static void Check(DistanceKind kind, float[] query, SearchHit[] hits, ConcurrentDictionary<string, ConcurrentBag<float[]>> history, ConcurrentQueue<string> failures)
    {
        if (hits.Length > 10) { failures.Enqueue($"{hits.Length} hits"); }
        if (hits.Select(h => h.Id).Distinct().Count() != hits.Length) { failures.Enqueue("a hit returned twice"); }
        for (int i = 0; i < hits.Length; i++)
        {
            if (i > 0 && hits[i].Distance < hits[i - 1].Distance) { failures.Enqueue("hits out of order"); }
            if (!history.TryGetValue(hits[i].Id, out var versions)
                || !versions.Any(v => Math.Abs(TestData.Distance(kind, query, v) - hits[i].Distance) <= 1e-3 * (1 + Math.Abs(hits[i].Distance))))
            {
                failures.Enqueue($"{hits[i].Id} at {hits[i].Distance}: no vector it had is at that distance");
            }
        }
    }
}
