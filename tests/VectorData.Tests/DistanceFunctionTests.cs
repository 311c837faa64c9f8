using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>A two-dimensional document whose vector's distance function a definition chooses.</summary>
public sealed class Doc
{
    public string Id { get; set; } = "";

    public string Label { get; set; } = "";

    public float[] Vector { get; set; } = [];

    /// <summary>The definition of <see cref="Doc"/> with <paramref name="distanceFunction"/>.</summary>
    public static VectorStoreCollectionDefinition Definition(string distanceFunction) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Id), typeof(string)),
            new VectorStoreDataProperty(nameof(Label), typeof(string)) { StorageName = "label" },
            new VectorStoreVectorProperty(nameof(Vector), typeof(float[]), 2) { DistanceFunction = distanceFunction },
        ],
    };
}

/// <summary>Mirrors the conformance suite's distance function tests: each supported function ranks and scores as
/// MEVD defines it (cosine similarity, euclidean distance, dot product similarity), ScoreThreshold keeps the right
/// side, Skip and IncludeVectors apply to search, and any other function is refused by name. The collection is
/// described by a <see cref="VectorStoreCollectionDefinition"/> rather than attributes.</summary>
public sealed class DistanceFunctionTests(Node node)
{
    private static readonly Doc[] Docs =
    [
        new() { Id = "a", Label = "same", Vector = [1, 0] },
        new() { Id = "b", Label = "orthogonal", Vector = [0, 1] },
        new() { Id = "c", Label = "longer", Vector = [3, 4] },
    ];

    public static TheoryData<Transport, string, string[], double[], double, string[]> Cases()
    {
        var data = new TheoryData<Transport, string, string[], double[], double, string[]>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            // query (1, 0): cosine similarity 1, 0, 0.6; euclidean 0, √2, √20; dot 1, 0, 3.
            data.Add(transport, DistanceFunction.CosineSimilarity, ["a", "c", "b"], [1, 0.6, 0], 0.5, ["a", "c"]);
            data.Add(transport, DistanceFunction.EuclideanDistance, ["a", "b", "c"], [0, Math.Sqrt(2), Math.Sqrt(20)], 2, ["a", "b"]);
            data.Add(transport, DistanceFunction.DotProductSimilarity, ["c", "a", "b"], [3, 1, 0], 0.5, ["c", "a"]);
            // The same three indexes, scored as distances: 1 − cos, L2², −dot (lower is closer; the threshold a most).
            data.Add(transport, DistanceFunction.CosineDistance, ["a", "c", "b"], [0, 0.4, 1], 0.5, ["a", "c"]);
            data.Add(transport, DistanceFunction.EuclideanSquaredDistance, ["a", "b", "c"], [0, 2, 20], 3, ["a", "b"]);
            data.Add(transport, DistanceFunction.NegativeDotProductSimilarity, ["c", "a", "b"], [-3, -1, 0], -0.5, ["c", "a"]);
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Scores_follow_the_distance_function(Transport transport, string function, string[] order, double[] scores,
        double threshold, string[] passing)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<string, Doc>(Node.NewName("distance"), Doc.Definition(function));
        await collection.EnsureCollectionExistsAsync(ct);
        await collection.UpsertAsync(Docs, ct);

        var results = await collection.SearchAsync(new[] { 1f, 0f }, 3, cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(order, results.Select(r => r.Record.Id));
        Assert.Equal(scores, results.Select(r => r.Score!.Value), (x, y) => Math.Abs(x - y) < 1e-5);
        Assert.Equal(order.Select(id => Docs.Single(d => d.Id == id).Label), results.Select(r => r.Record.Label));

        var thresholded = await collection.SearchAsync(new[] { 1f, 0f }, 3, new() { ScoreThreshold = threshold }, ct).ToListAsync(ct);
        Assert.Equal(passing, thresholded.Select(r => r.Record.Id));

        var skipped = await collection.SearchAsync(new[] { 1f, 0f }, 1, new() { Skip = 1, IncludeVectors = true }, ct).ToListAsync(ct);
        Assert.Equal(order[1], Assert.Single(skipped).Record.Id);
        Assert.Equal(2, skipped[0].Record.Vector.Length);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public void Another_distance_function_is_refused_by_name(Transport transport)
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            node.Store(transport).GetCollection<string, Doc>(Node.NewName("manhattan"), Doc.Definition(DistanceFunction.ManhattanDistance)));
        Assert.Contains(DistanceFunction.ManhattanDistance, error.Message, StringComparison.Ordinal);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task The_index_is_created_with_the_mapped_distance(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = node.Store(transport);
        foreach (var (function, distance) in new[] { (DistanceFunction.EuclideanDistance, IndexDistance.Euclidean), (DistanceFunction.DotProductSimilarity, IndexDistance.Dot) })
        {
            var collection = store.GetCollection<string, Doc>(Node.NewName("created"), Doc.Definition(function));
            await collection.EnsureCollectionExistsAsync(ct);
            Assert.Equal(distance, (await node.Grains.GetAsync(collection.Name)).Distance);
        }
    }
}
