using System.Buffers.Binary;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests;

/// <summary>Int8 quantization in the engine: when it trains, that results carry the float distances, drift, filters,
/// emptying, and saving.</summary>
public sealed class QuantizationTests
{
    private const int Dim = 32;

    private static HnswIndex Pair(DistanceKind kind, VectorItem[] items, out HnswIndex floats)
    {
        floats = TestData.Build(kind, items, Dim, efConstruction: 100, seed: 5);
        return TestData.Build(kind, items, Dim, efConstruction: 100, seed: 5, quantization: QuantizationKind.Int8);
    }

    [Fact]
    public void The_index_searches_on_floats_until_it_holds_enough_items_to_train()
    {
        float[][] vectors = TestData.Clustered(HnswIndex.TrainingStart + 10, Dim, seed: 1);
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, Quantization: QuantizationKind.Int8));
        index.AddBatch(TestData.Items(vectors[..(HnswIndex.TrainingStart - 1)]));
        Assert.False(index.IsQuantized);
        long before = index.MemoryBytes;
        index.AddBatch(TestData.Items(vectors[(HnswIndex.TrainingStart - 1)..], "w"));
        Assert.True(index.IsQuantized);
        Assert.True(index.MemoryBytes - before >= (long)index.Count * Dim, "the codes are counted in MemoryBytes");
        Assert.False(new HnswIndex(new HnswOptions(Dim)).IsQuantized);
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    [InlineData(DistanceKind.Dot)]
    public void Results_carry_exactly_the_float_index_distances_and_mostly_the_same_ids(DistanceKind kind)
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(3000, Dim, seed: 2));
        HnswIndex quantized = Pair(kind, items, out HnswIndex floats);
        Assert.True(quantized.IsQuantized);
        int shared = 0;
        foreach (float[] query in TestData.Clustered(50, Dim, seed: 3))
        {
            SearchHit[] expected = floats.Search(query, 10, 64);
            SearchHit[] actual = quantized.Search(query, 10, 64);
            Assert.Equal(10, actual.Length);
            Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Distance <= p.Second.Distance), "hits in order");
            var exact = expected.ToDictionary(h => h.Id, h => h.Distance);
            foreach (SearchHit hit in actual)
            {
                if (exact.TryGetValue(hit.Id, out float distance))
                {
                    Assert.Equal(distance, hit.Distance);         // bit for bit: the rescoring uses the float kernel
                    shared++;
                }
            }
        }
        Assert.True(shared >= 0.97 * 500, $"{shared} of 500 hits shared with the float index");
    }

    [Fact]
    public void Values_outside_the_trained_range_clamp_and_are_still_found_exactly()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(1000, Dim, seed: 4));
        var index = TestData.Build(DistanceKind.Euclidean, items, Dim, quantization: QuantizationKind.Int8);
        // Far outside every trained range: all its codes clamp to 0 or 255.
        float[] outlier = [.. items[0].Vector.Select((x, j) => (x * 40f) + (j % 2 == 0 ? 500f : -500f))];
        index.AddBatch([new VectorItem("outlier", outlier)]);
        SearchHit[] hits = index.Search(outlier, 1, 64);
        Assert.Equal("outlier", hits[0].Id);
        Assert.Equal(0f, hits[0].Distance);
        SearchHit near = index.Search(items[5].Vector, 1)[0];
        Assert.Equal(("v5", 0f), (near.Id, near.Distance));
    }

    /// <summary>0.1% of the items at the largest magnitude the rule accepts, on both sides: the trained ranges clip
    /// them instead of stretching over them, and recall stays that of the float index.</summary>
    [Theory]
    [InlineData(DistanceKind.Euclidean)]
    [InlineData(DistanceKind.Cosine)]
    public void A_few_extreme_outliers_do_not_capture_the_trained_ranges(DistanceKind kind)
    {
        float[][] vectors = TestData.Clustered(3000, Dim, seed: 6);
        float extreme = (float)(0.99e18 / Math.Sqrt(Dim));
        foreach ((int at, float sign) in new[] { (500, 1f), (1500, -1f), (2500, 1f) })
        {
            vectors[at] = Enumerable.Repeat(sign * extreme, Dim).ToArray();
        }
        VectorItem[] items = TestData.Items(vectors);
        HnswIndex quantized = Pair(kind, items, out HnswIndex floats);
        Assert.True(quantized.IsQuantized);
        float[][] queries = TestData.Clustered(100, Dim, seed: 7);
        double floatRecall = TestData.Recall(floats, kind, items, queries, 10, 64);
        double int8Recall = TestData.Recall(quantized, kind, items, queries, 10, 64);
        Assert.True(int8Recall >= floatRecall - 0.01, $"recall@10 int8 {int8Recall:F3}, float {floatRecall:F3}");
    }

    [Fact]
    public void Emptying_the_index_forgets_the_quantizer_and_new_items_train_a_new_one()
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(300, Dim, seed: 6));
        var index = TestData.Build(DistanceKind.Dot, items, Dim, quantization: QuantizationKind.Int8);
        Assert.True(index.IsQuantized);
        foreach (VectorItem item in items) { index.Delete(item.Id); }
        Assert.False(index.IsQuantized);
        // Values on another scale altogether: a quantizer kept from before would clamp every one of them.
        VectorItem[] scaled = [.. items.Select(i => new VectorItem("s" + i.Id, [.. i.Vector.Select(x => x * 1000f)]))];
        index.AddBatch(scaled);
        Assert.True(index.IsQuantized);
        Assert.Equal(TestData.Exact(DistanceKind.Dot, scaled, scaled[7].Vector, 5), index.Search(scaled[7].Vector, 5, 100).Select(h => h.Id));
    }

    [Theory]
    [InlineData(FilterStrategy.Graph)]
    [InlineData(FilterStrategy.Exact)]
    public void Filtered_searches_return_the_same_matches_with_float_distances(FilterStrategy strategy)
    {
        VectorItem[] items = [.. TestData.Items(TestData.Clustered(2000, Dim, seed: 8))
            .Select((item, i) => item with { Metadata = System.Text.Encoding.UTF8.GetBytes($"{{\"tag\":{i % 3}}}") })];
        HnswIndex quantized = Pair(DistanceKind.Euclidean, items, out HnswIndex floats);
        var filter = new ValueIn("tag", [PayloadValue.Of(1)]);
        int shared = 0;
        foreach (float[] query in TestData.Clustered(30, Dim, seed: 9))
        {
            SearchHit[] expected = floats.Search(query, 10, 64, filter, strategy, out _, TestContext.Current.CancellationToken);
            SearchHit[] actual = quantized.Search(query, 10, 64, filter, strategy, out FilterPlan plan, TestContext.Current.CancellationToken);
            Assert.Equal(strategy, plan.Strategy);
            Assert.All(actual, h => Assert.EndsWith("1}", System.Text.Encoding.UTF8.GetString(h.Metadata!), StringComparison.Ordinal));
            var exact = expected.ToDictionary(h => h.Id, h => h.Distance);
            foreach (SearchHit hit in actual.Where(h => exact.ContainsKey(h.Id)))
            {
                Assert.Equal(exact[hit.Id], hit.Distance);
                shared++;
            }
        }
        Assert.True(shared >= 0.95 * 300, $"{shared} of 300 hits shared with the float index");
    }

    [Theory]
    [InlineData(DistanceKind.Euclidean, 5000)]
    [InlineData(DistanceKind.Cosine, 300)]
    [InlineData(DistanceKind.Dot, 100)]
    public void Saving_and_loading_keeps_the_quantizer_codes_and_answers(DistanceKind kind, int count)
    {
        VectorItem[] items = TestData.Items(TestData.Clustered(count, Dim, seed: 10));
        var index = TestData.Build(kind, items, Dim, quantization: QuantizationKind.Int8);
        index.Delete("v3");
        using var saved = new MemoryStream();
        index.Save(saved);
        saved.Position = 0;
        HnswIndex loaded = HnswIndex.Load(saved);
        Assert.Equal(index.Options, loaded.Options);
        Assert.Equal(index.IsQuantized, loaded.IsQuantized);
        Assert.Equal(count >= HnswIndex.TrainingStart, loaded.IsQuantized);
        foreach (float[] query in TestData.Clustered(20, Dim, seed: 11))
        {
            TestData.AssertSameHits(index.Search(query, 10, 32), loaded.Search(query, 10, 32));
        }
        using var again = new MemoryStream();
        loaded.Save(again);
        Assert.Equal(saved.ToArray(), again.ToArray());
        using var frozen = new MemoryStream();
        index.Freeze().Save(frozen);
        Assert.Equal(saved.ToArray(), frozen.ToArray());
        Assert.Equal(2, BitConverter.ToInt32(saved.ToArray(), 5));   // format version 2 with quantization
    }

    [Fact]
    public void A_quantizer_with_a_negative_step_is_refused_even_under_a_matching_checksum()
    {
        var index = TestData.Build(DistanceKind.Cosine, TestData.Items(TestData.Clustered(400, Dim, seed: 13)), Dim, quantization: QuantizationKind.Int8);
        using var saved = new MemoryStream();
        index.Save(saved);
        byte[] bytes = saved.ToArray();
        // Header (magic, version, 11 int32, checksum), then ids, metadata, vectors, graph: tag, int64 length, payload, checksum.
        int position = 5 + (4 * 12) + 8;
        for (int section = 1; section <= 4; section++)
        {
            Assert.Equal(section, bytes[position]);
            position += 9 + (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 1)) + 8;
        }
        Assert.Equal(5, bytes[position]);                         // the quantizer: trained-on count, low[], step[]
        int end = position + 9 + (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 1)) + 8;
        int firstStep = position + 9 + 4 + (4 * Dim);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(firstStep), -1f);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(end - 8), System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(position, end - 8 - position)));
        var e = Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(bytes)));
        Assert.StartsWith("bad range of dimension 0: low ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(", step -1 in section quantizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_code_is_caught_by_the_section_checksum()
    {
        var index = TestData.Build(DistanceKind.Euclidean, TestData.Items(TestData.Clustered(400, Dim, seed: 12)), Dim, quantization: QuantizationKind.Int8);
        using var saved = new MemoryStream();
        index.Save(saved);
        byte[] bytes = saved.ToArray();
        bytes[^40] ^= 0x10;                                       // inside the codes section, the last before the footer
        var e = Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("codes", e.Message, StringComparison.Ordinal);
    }
}
