using Vectord.Storage.Log;

namespace Vectord.Grains.Hosting;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class VectordStorageOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>Name of the grain storage provider and of the keyed <see cref="Storage.IIndexBlobStore"/>.</summary>
    public const string ProviderName = "storaged";

    /// <summary><c>file</c> (default) or <c>azureblob</c>.</summary>
    public string Provider { get; set; } = "file";

    /// <summary>Directory of the <c>file</c> provider.</summary>
    public string Path { get; set; } = "./data";

    /// <summary>Local directory of the vector files of <c>on_disk</c> indexes: a cache written from storage whenever a
    /// part is loaded, with either provider. Default: <c>cache</c> under <see cref="Path"/>.</summary>
    public string? CachePath { get; set; }

    /// <summary>The vector cache directory: <see cref="CachePath"/> or its default.</summary>
    internal string VectorCachePath => string.IsNullOrWhiteSpace(CachePath) ? System.IO.Path.Combine(Path, "cache") : CachePath;

    /// <summary>Connection string of the <c>azureblob</c> provider.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob container of the <c>azureblob</c> provider.</summary>
    public string Container { get; set; } = "vectord";

    /// <summary>Minutes without calls after which an index is deactivated (it reloads from storage on demand).</summary>
    public double IdleMinutes { get; set; } = 30;

    /// <summary>A snapshot is written when the log exceeds this fraction of the last snapshot's size…
    /// Larger values write fewer bytes in total (about 1 + (1 + R) / R times the raw vectors over a long ingest:
    /// 3.1× at 1.0, 4.1× at 0.5) but leave more log to re-insert after a crash.</summary>
    public double SnapshotLogRatio { get; set; } = 1.0;

    /// <summary>…and at least this many bytes.</summary>
    public long SnapshotMinLogBytes { get; set; } = 8L << 20;

    /// <summary>Write a snapshot when an index with log records after its last snapshot is deactivated gracefully
    /// (idle collection, silo shutdown), so the next activation loads it instead of replaying those records.</summary>
    public bool SnapshotOnDeactivate { get; set; } = true;

    /// <summary>Activate every catalogued index when the silo starts.</summary>
    public bool PreloadIndexes { get; set; } = true;

    /// <summary>Indexes loaded at once during start-up.</summary>
    public int PreloadParallelism { get; set; } = 4;

    /// <summary>Seconds after which the catalog of index names reads them from storage again (the indexes' manifests)
    /// when it is next asked; between, it follows the creates and drops it is told of.</summary>
    public double CatalogRefreshSeconds { get; set; } = 30;

    /// <summary>Most bytes of vectors (items × dimension × 4) one index part may hold; a write beyond it is refused
    /// with 507. The default is the engine's own limit, about 8 GiB.</summary>
    public long MaxPartVectorBytes { get; set; } = Storage.Parts.PartCapacity.EngineMaxVectorBytes;

    /// <summary>What one part may hold, from <see cref="MaxPartVectorBytes"/>.</summary>
    internal Storage.Parts.PartCapacity PartCapacity => new(MaxPartVectorBytes);

    /// <summary>When parts write snapshots, from <see cref="SnapshotLogRatio"/> and <see cref="SnapshotMinLogBytes"/>.</summary>
    internal SnapshotPolicy SnapshotPolicy => new(SnapshotLogRatio, SnapshotMinLogBytes);
}
