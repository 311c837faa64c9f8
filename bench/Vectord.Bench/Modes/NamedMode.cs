using System.Globalization;
using System.Text;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Modes;

/// <summary>
/// Named vectors against one-vector indexes: each fashion-mnist image as two vectors, its 784 pixels and a 7×7 average
/// of them (49 dimensions, a thumbnail), both euclidean, with a little metadata. Builds an index of the pixels, an
/// index of the thumbnails and one index holding both as named vectors, on one thread each; then, per ef, searches
/// by each vector in the one-vector index and in the named one alternately, rounds of every query, and reports recall@10
/// against exact search and the median QPS of each, with their ratios. Memory: the named index against the two
/// one-vector indexes together.
/// </summary>
internal sealed class NamedMode(TextWriter? output = null) : IBenchMode
{
    private readonly TextWriter _output = output ?? Console.Out;

    private const int K = 10;
    private const int Side = 28;
    private const int Cell = 4;

    public string Name => "named";

    public string Summary => "an index with two named vectors against two one-vector indexes: build time, memory, recall@10 and QPS per vector";

    public string Usage => """
          --dataset-dir DIR       directory holding fashion-mnist          [/usr/share/datasets/fashion-mnist]
          --limit N               index only the first N base vectors (quick runs)                  [all]
          --queries N             query vectors (from the test split)                              [1000]
          --m N                   HNSW M                                                              [16]
          --ef-construction N     beam width while building                                         [200]
          --ef LIST               comma-separated beam widths to measure                          [16,64]
          --rounds N              search rounds per ef and vector, the two indexes in turn; median QPS [3]
          --cache-dir DIR         ground-truth cache (pixels)  [$VECTORD_CACHE_DIR or ~/.cache/vectord]
        """;

    public Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var datasetDir = args.GetString("dataset-dir");
        var limit = args.GetOptionalInt("limit", min: K);
        var queryCount = args.GetInt("queries", 1000, min: 1);
        var m = args.GetInt("m", HnswOptions.DefaultM, min: 2, max: 512);
        var efConstruction = args.GetInt("ef-construction", HnswOptions.DefaultEfConstruction, min: 1, max: 100_000);
        var efs = args.GetIntList("ef", [16, 64], min: K, max: 100_000);
        var roundCount = args.GetInt("rounds", 3, min: 1, max: 100);
        var cacheDir = args.GetString("cache-dir") ?? GroundTruthCache.DefaultDirectory();
        args.EnsureAllUsed();
        var output = _output;

        var pixels = DatasetCatalog.Load(DatasetCatalog.FashionMnist, datasetDir, limit, queryCount);
        if (pixels.Dimension != Side * Side)
        {
            throw new BenchException($"expected {Side}×{Side} images, got dimension {pixels.Dimension}");
        }
        var thumbs = new Dataset("fashion-mnist-thumb", (Side / Cell) * (Side / Cell), [.. pixels.Base.Select(Thumb)], [.. pixels.Queries.Select(Thumb)]);
        var n = pixels.Base.Length;
        output.WriteLine(Invariant($"dataset     fashion-mnist: {n} images, {pixels.Queries.Length} queries; vectors pixels ({pixels.Dimension}) and thumb ({thumbs.Dimension}), euclidean"));
        var truth = new Dictionary<string, int[][]>
        {
            ["pixels"] = GroundTruth.GetOrCompute(pixels, new PreparedVectors(pixels, DistanceKind.Euclidean), DistanceKind.Euclidean, K,
                new GroundTruthCache(cacheDir), output, cancellationToken),
            ["thumb"] = GroundTruth.GetOrCompute(thumbs, new PreparedVectors(thumbs, DistanceKind.Euclidean), DistanceKind.Euclidean, K,
                null, output, cancellationToken),
        };

        var spaces = new VectorSpaces([new VectorSpace("pixels", pixels.Dimension, DistanceKind.Euclidean), new VectorSpace("thumb", thumbs.Dimension, DistanceKind.Euclidean)]);
        var one = new Dictionary<string, HnswIndex>
        {
            ["pixels"] = new(new HnswOptions(pixels.Dimension, DistanceKind.Euclidean, m, efConstruction)),
            ["thumb"] = new(new HnswOptions(thumbs.Dimension, DistanceKind.Euclidean, m, efConstruction)),
        };
        var named = new HnswIndex(HnswOptions.ForVectors(spaces, m, efConstruction));
        var seconds = new Dictionary<string, double>
        {
            ["pixels"] = Timing.Seconds(() => one["pixels"].AddBatch(Items(n, i => pixels.Base[i]), 1)),
            ["thumb"] = Timing.Seconds(() => one["thumb"].AddBatch(Items(n, i => thumbs.Base[i]), 1)),
            ["named"] = Timing.Seconds(() => named.AddBatch(Items(n, i => spaces.Concat([pixels.Base[i], thumbs.Base[i]])), 1)),
        };
        double separate = seconds["pixels"] + seconds["thumb"];
        output.WriteLine(Invariant($"build       pixels {seconds["pixels"]:F1} s, thumb {seconds["thumb"]:F1} s, named (both) {seconds["named"]:F1} s: named / both one-vector = {seconds["named"] / separate:F3}x"));
        long apart = one["pixels"].MemoryBytes + one["thumb"].MemoryBytes;
        output.WriteLine(Invariant($"memory      pixels {(double)one["pixels"].MemoryBytes / n:F0}, thumb {(double)one["thumb"].MemoryBytes / n:F0}, named {(double)named.MemoryBytes / n:F0} bytes/item: named / both one-vector = {(double)named.MemoryBytes / apart:F3}x"));

        output.WriteLine();
        var table = new TextTable(new("vector", 7, RightAligned: false), new("ef", 5), new("one recall", 10), new("named recall", 12),
            new("one qps", 8), new("named qps", 9), new("named/one", 9), new("per round", 20, RightAligned: false));
        table.WriteHeader(output);
        foreach (var ef in efs)
        {
            foreach (var (vector, queries) in new[] { ("pixels", pixels.Queries), ("thumb", thumbs.Queries) })
            {
                var alone = new List<SearchMeasurement>();
                var within = new List<SearchMeasurement>();
                for (var round = 0; round < roundCount; round++)
                {
                    alone.Add(SearchMeasurement.Run(one[vector], queries, K, ef, cancellationToken));
                    within.Add(SearchMeasurement.Run(named, vector, queries, K, ef, cancellationToken));
                }
                var (a, b) = (Median(alone), Median(within));
                table.WriteRow(output, vector, Invariant($"{ef}"),
                    Invariant($"{Recall.AtK(a.Hits, truth[vector], K):F4}"), Invariant($"{Recall.AtK(b.Hits, truth[vector], K):F4}"),
                    Invariant($"{a.QueriesPerSecond:F0}"), Invariant($"{b.QueriesPerSecond:F0}"), Invariant($"{b.QueriesPerSecond / a.QueriesPerSecond:F2}x"),
                    string.Join(" ", Enumerable.Range(0, roundCount).Select(r => Invariant($"{within[r].QueriesPerSecond / alone[r].QueriesPerSecond:F2}"))));
            }
        }
        return Task.FromResult(0);
    }

    /// <summary>The 7×7 average of 4×4 cells of a 28×28 image.</summary>
    private static float[] Thumb(float[] image)
    {
        const int side = Side / Cell;
        var thumb = new float[side * side];
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                thumb[((y / Cell) * side) + (x / Cell)] += image[(y * Side) + x] / (Cell * Cell);
            }
        }
        return thumb;
    }

    /// <summary>Items 0 to <paramref name="n"/> − 1, ids their numbers, each with a little metadata (its number mod 10).</summary>
    private static VectorItem[] Items(int n, Func<int, float[]> vector) =>
        [.. Enumerable.Range(0, n).Select(i => new VectorItem(i.ToString(CultureInfo.InvariantCulture), vector(i),
            Encoding.UTF8.GetBytes(Invariant($$"""{"tag":{{i % 10}}}"""))))];

    private static SearchMeasurement Median(List<SearchMeasurement> rounds) =>
        rounds.OrderBy(m => m.QueriesPerSecond).ElementAt(rounds.Count / 2);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
