namespace Vectord.Hnsw.Tests;

/// <summary>A copy that follows a writer: given the link lists each add batch wrote, it applies the batch without
/// searching the graph and holds what the writer holds (items, vectors, codes and every link list as searches read it),
/// as a copy that re-inserts every batch does (that one byte for byte).</summary>
public sealed class FollowTests
{
    private const int Dim = 16;

    private static byte[] Saved(HnswIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    /// <summary>Round r: a delete of some earlier ids every fourth round, else 120 items of which some replace present
    /// ids, some take the slots of deleted ones, and (every third round) one carries a vector the rule refuses.</summary>
    private static (VectorItem[]? Batch, string[]? Deletes) Round(int round)
    {
        if (round % 4 == 3)
        {
            return (null, [.. Enumerable.Range(0, 30).Select(i => $"r{round - 1}-{i * 3}")]);
        }
        var random = new Random(round);
        var items = new List<VectorItem>();
        for (int i = 0; i < 120; i++)
        {
            string id = i < 20 && round > 0 ? $"r{round - 1}-{i}" : $"r{round}-{i}";
            var vector = new float[Dim];
            for (int d = 0; d < Dim; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }
            items.Add(new VectorItem(id, vector, System.Text.Encoding.UTF8.GetBytes($"{{\"r\":{round}}}")));
        }
        if (round % 3 == 2)
        {
            var refused = new float[Dim];
            refused[0] = float.NaN;
            items.Add(new VectorItem($"bad-{round}", refused));
        }
        return ([.. items], null);
    }

    private static List<string> Items(HnswIndex index) =>
        [.. index.GetIds().Order(StringComparer.Ordinal).Select(id => index.TryGet(id, out var item)
            ? $"{id} {string.Join(",", item.Vector)} {(item.Metadata is null ? "" : System.Text.Encoding.UTF8.GetString(item.Metadata))}"
            : id)];

    [Theory]
    [InlineData(DistanceKind.Euclidean, QuantizationKind.None)]
    [InlineData(DistanceKind.Cosine, QuantizationKind.Int8)]
    public void A_copy_given_the_writers_link_lists_holds_what_the_writer_holds(DistanceKind kind, QuantizationKind quantization)
    {
        var options = new HnswOptions(Dim, kind, M: 8, EfConstruction: 40, Quantization: quantization);
        var writer = new HnswIndex(options);
        var follower = new HnswIndex(options);
        var replay = new HnswIndex(options);
        int lists = 0;
        for (int round = 0; round < 14; round++)
        {
            var (batch, deletes) = Round(round);
            if (deletes is not null)
            {
                foreach (var id in deletes)
                {
                    Assert.Equal(writer.Delete(id), follower.Delete(id));
                    replay.Delete(id);
                }
                continue;
            }
            int applied = writer.AddLogged(batch!, out var changes);
            lists += changes.Each().Count();
            Assert.Equal(applied, follower.AddLinked(batch!, LinkChanges.FromBytes(changes.ToBytes())));
            replay.AddLogged(batch!);
            Assert.Equal(writer.GraphOutline(), follower.GraphOutline());
            Assert.Equal(Items(writer), Items(follower));
        }
        Assert.True(writer.QuarantinedCount > 0, "no item was quarantined");
        Assert.True(lists > 1000, $"only {lists} link lists were noted");
        Assert.Equal(Saved(writer), Saved(replay));
        for (int q = 0; q < 20; q++)
        {
            var (batch, _) = Round(100 + (q * 4));
            float[] query = batch![q].Vector;
            Assert.Equal(writer.Search(query, 10, 20).Select(h => (h.Id, h.Distance)), follower.Search(query, 10, 20).Select(h => (h.Id, h.Distance)));
        }
    }

    [Fact]
    public void Changes_that_do_not_fit_the_copy_are_refused()
    {
        var options = new HnswOptions(Dim, DistanceKind.Euclidean);
        var writer = new HnswIndex(options);
        var (first, _) = Round(0);
        writer.AddLogged(first!, out _);
        var (second, _) = Round(1);
        writer.AddLogged(second!, out var changes);

        // A copy that did not hold the first batch ends with another slot count than the writer's.
        var behind = new HnswIndex(options);
        Assert.Throws<InvalidDataException>(() => behind.AddLinked(second!, changes));

        Assert.Throws<InvalidDataException>(() => LinkChanges.FromBytes([1, 2, 3]));
        var bytes = changes.ToBytes();
        Assert.Throws<InvalidDataException>(() => LinkChanges.FromBytes(bytes.AsSpan(0, bytes.Length - 4)));
        bytes[0] = 9;
        Assert.Throws<InvalidDataException>(() => LinkChanges.FromBytes(bytes));
    }
}
