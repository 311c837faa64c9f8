using System.Globalization;
using Vectord.Bench.Common;
using Vectord.Bench.Data;

namespace Vectord.Bench.Service;

/// <summary>The options every service mode shares (data set, index parameters, storage, output), read from the
/// command line in one place so the modes describe and parse them the same way.</summary>
internal sealed class ServiceOptions
{
    private static readonly Dictionary<string, IndexDistance> s_distances = new(StringComparer.OrdinalIgnoreCase)
    {
        ["euclidean"] = IndexDistance.Euclidean,
        ["cosine"] = IndexDistance.Cosine,
    };

    private static readonly Dictionary<string, IndexQuantization> s_quantizations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = IndexQuantization.None,
        ["int8"] = IndexQuantization.Int8,
    };

    public const string CommonUsage = """
          --dataset NAME          data set (fashion-mnist)                                [fashion-mnist]
          --dataset-dir DIR       directory holding the data set files      [/usr/share/datasets/fashion-mnist]
          --limit N               index only the first N base vectors (quick runs)                  [all]
          --batch N               vectors per add call                                             [500]
          --m N                   HNSW M of the index                                               [16]
          --distance KIND         euclidean | cosine                                          [euclidean]
          --quantization KIND     none | int8                                                      [none]
          --on-disk               the index keeps its float vectors in a memory-mapped file (on_disk)
          --storage-dir DIR       keep the index data in DIR (file provider)   [a temporary directory, removed]
          --azurite CONNSTR       use the azureblob provider with this connection string instead
          --snapshot-ratio R      Storage:SnapshotLogRatio: snapshot when the log exceeds R x the last snapshot  [1.0]
          --snapshot-on-stop      Storage:SnapshotOnDeactivate: an index writes a snapshot when it is deactivated
          --json FILE             append one JSON object per result to FILE
        """;

    public const string SearchUsage = """
          --queries N             query vectors (from the test split)                              [1000]
          --ef N                  search beam width                                                  [64]
        """;

    public required string DatasetName { get; init; }
    public string? DatasetDirectory { get; init; }
    public int? Limit { get; init; }
    public int Batch { get; init; }
    public int M { get; init; }
    public IndexDistance Distance { get; init; }
    public IndexQuantization Quantization { get; init; }
    public bool OnDisk { get; init; }
    public string? StorageDirectory { get; init; }
    public string? AzureConnectionString { get; init; }
    public string? JsonPath { get; init; }
    public double? SnapshotRatio { get; init; }
    public bool SnapshotOnStop { get; init; }
    public int Queries { get; init; }
    public int Ef { get; init; }

    public string DistanceName => Distance.ToString().ToLowerInvariant();

    /// <summary>Reads the shared options; the search ones (<c>--queries</c>, <c>--ef</c>) only when
    /// <paramref name="search"/>. The caller still calls <see cref="BenchArgs.EnsureAllUsed"/>.</summary>
    public static ServiceOptions Read(BenchArgs args, bool search, int defaultQueries = 1000)
    {
        var options = new ServiceOptions
        {
            DatasetName = args.GetString("dataset") ?? DatasetCatalog.FashionMnist,
            DatasetDirectory = args.GetString("dataset-dir"),
            Limit = args.GetOptionalInt("limit", min: 20),
            Batch = args.GetInt("batch", 500, min: 1, max: 100_000),
            M = args.GetInt("m", 16, min: 2, max: 128),
            Distance = args.GetChoice("distance", IndexDistance.Euclidean, s_distances),
            Quantization = args.GetChoice("quantization", IndexQuantization.None, s_quantizations),
            OnDisk = args.GetFlag("on-disk"),
            StorageDirectory = args.GetString("storage-dir"),
            AzureConnectionString = args.GetString("azurite"),
            JsonPath = args.GetString("json"),
            SnapshotRatio = ParseRatio(args.GetString("snapshot-ratio")),
            SnapshotOnStop = args.GetFlag("snapshot-on-stop"),
            Queries = search ? args.GetInt("queries", defaultQueries, min: 1) : 1,
            Ef = search ? args.GetInt("ef", 64, min: 10, max: 10_000) : 0,
        };
        if (options.StorageDirectory is not null && options.AzureConnectionString is not null)
        {
            throw new UsageException("--storage-dir and --azurite exclude each other");
        }
        return options;
    }

    private static double? ParseRatio(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || value > 1000)
        {
            throw new UsageException($"option --snapshot-ratio: '{text}' must be a number in (0, 1000]");
        }
        return value;
    }

    public Dataset LoadDataset() => DatasetCatalog.Load(DatasetName, DatasetDirectory, Limit, Queries);

    public IndexSpec Spec(int dimension) => new(dimension, M, 0, Distance, Quantization: Quantization, OnDisk: OnDisk);

    /// <summary>The engine options the index grain derives from <see cref="Spec"/> (same defaults).</summary>
    public Vectord.Hnsw.HnswOptions EngineOptions(int dimension) => new(
        dimension, Distance == IndexDistance.Cosine ? Vectord.Hnsw.DistanceKind.Cosine : Vectord.Hnsw.DistanceKind.Euclidean,
        M: M, EfSearch: Vectord.Hnsw.HnswOptions.DefaultEfSearch,
        Quantization: Quantization == IndexQuantization.Int8 ? Vectord.Hnsw.QuantizationKind.Int8 : Vectord.Hnsw.QuantizationKind.None);

    /// <summary>Opens the storage: the given directory (kept), a fresh temporary one (removed on dispose) or the
    /// blob container (each run uses its own index name, so runs never collide).</summary>
    public StorageLease OpenStorage()
    {
        if (AzureConnectionString is not null)
        {
            return new StorageLease(new BenchStorage(null, AzureConnectionString) { SnapshotRatio = SnapshotRatio, SnapshotOnStop = SnapshotOnStop }, null);
        }
        if (StorageDirectory is not null)
        {
            Directory.CreateDirectory(StorageDirectory);
            return new StorageLease(new BenchStorage(Path.GetFullPath(StorageDirectory), null) { SnapshotRatio = SnapshotRatio, SnapshotOnStop = SnapshotOnStop }, null);
        }
        var temp = Path.Combine(Path.GetTempPath(), "vectord-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(temp);
        return new StorageLease(new BenchStorage(temp, null) { SnapshotRatio = SnapshotRatio, SnapshotOnStop = SnapshotOnStop }, temp);
    }

    /// <summary>A fresh index name for one run.</summary>
    public static string NewIndexName(string mode) =>
        string.Create(CultureInfo.InvariantCulture, $"bench-{mode}-{Guid.NewGuid().ToString("N")[..8]}");
}

/// <summary>The storage of one run; removes its directory on dispose when it created a temporary one.</summary>
internal sealed class StorageLease(BenchStorage storage, string? temporaryDirectory) : IDisposable
{
    public BenchStorage Storage { get; } = storage;

    public void Dispose()
    {
        if (temporaryDirectory is not null && Directory.Exists(temporaryDirectory))
        {
            Directory.Delete(temporaryDirectory, recursive: true);
        }
    }
}
