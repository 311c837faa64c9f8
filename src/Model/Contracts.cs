namespace Vectord;

/// <summary>Distance function of an index.</summary>
public enum IndexDistance
{
    /// <summary>1 − cos(q, v). Zero vectors are rejected.</summary>
    Cosine = 0,
    /// <summary>The L2 distance.</summary>
    Euclidean = 1,
    /// <summary>−(q·v).</summary>
    Dot = 2,
}

/// <summary>How an index compresses its vectors for search.</summary>
public enum IndexQuantization
{
    /// <summary>The graph is searched on the float vectors.</summary>
    None = 0,
    /// <summary>Per-dimension scalar quantization to one byte a component: the graph is searched on the codes, and the
    /// best candidates are rescored with the float vectors, so results carry exact distances.</summary>
#pragma warning disable CA1720 // "Int8" is the name of the quantization, as the API spells it
    Int8 = 1,
#pragma warning restore CA1720
}

/// <summary>How the words of a text field become the terms it is searched by.</summary>
public enum IndexTextLanguage
{
    /// <summary>Words (Unicode word boundaries) lowercased, nothing more: right for any language.</summary>
    None = 0,
    /// <summary>Lowercased, English stop words and possessives dropped, words stemmed (Porter): <c>connected</c> finds
    /// <c>connection</c>.</summary>
    English = 1,
}

/// <summary>A metadata field an index makes searchable by words (keyword search, hybrid search, <c>match.text</c>).</summary>
/// <param name="Path">Its dotted path, as in filters; a string there is its text, an array of strings one text of all.</param>
/// <param name="Language">How its words become terms.</param>
[GenerateSerializer, Immutable, Alias("vectord.IndexTextField")]
public sealed record IndexTextField(
    [property: Id(0)] string Path,
    [property: Id(1)] IndexTextLanguage Language = IndexTextLanguage.None);

/// <summary>What to create.</summary>
/// <param name="Dimension">Vector length, 1–65536; 0: an index whose items carry no vector, only metadata, searched by
/// words (its text fields) or read by filter, never by vector.</param>
/// <param name="M">Max links per node, 2–128; 0 = default (16).</param>
/// <param name="EfSearch">Default search beam width, 1–10000; 0 = default.</param>
/// <param name="Distance">Distance function.</param>
/// <param name="Shards">Parts the index is spread over, 1–64; 0 = default (1). An item's part is a stable hash of its
/// id; every call behaves the same for any shard count.</param>
/// <param name="Quantization">How the vectors are compressed for search; none by default.</param>
/// <param name="OnDisk">Keep the float vectors out of the managed heap, in a memory-mapped file in the node's local
/// cache directory (a cache rebuilt from storage); only the graph, and the codes when quantized, stay in memory. False
/// by default.</param>
/// <param name="Replicas">Copies of each shard, 1–8 and at most the cluster's silo count; 0 = default (1). One copy
/// of each shard (its primary) takes the writes in log order and passes each to the others, its replicas, each on
/// another silo; searches are spread over the copies and go on when a silo holding one dies.</param>
/// <param name="TextFields">Metadata fields searchable by words (BM25), at most <see cref="IndexLimits.MaxTextFields"/>;
/// null or empty: none.</param>
/// <param name="Bm25K1">BM25's k1 (term-frequency saturation), ≥ 0; null: 1.2.</param>
/// <param name="Bm25B">BM25's b (length normalisation), 0–1; null: 0.75.</param>
/// <param name="Revision">How many times text fields were added to the index after its create
/// (<c>IVectorIndexGrain.AddTextFieldsAsync</c>); ignored by a create. Each copy of a part holds the text fields
/// of the highest revision it was called with, so a copy never answers with fewer fields than its caller checked.</param>
/// <param name="Vectors">Named vectors, at most <see cref="IndexLimits.MaxNamedVectors"/>, in place of
/// <paramref name="Dimension"/> (then 0), <paramref name="Distance"/> and <paramref name="Quantization"/> (then those
/// of the first): every item carries one of each, each searched in its own graph (<see cref="SearchQuery.Using"/>).
/// Not with <paramref name="OnDisk"/>.</param>
[GenerateSerializer, Immutable, Alias("vectord.IndexSpec")]
public sealed record IndexSpec(
    [property: Id(0)] int Dimension,
    [property: Id(1)] int M = 0,
    [property: Id(2)] int EfSearch = 0,
    [property: Id(3)] IndexDistance Distance = IndexDistance.Cosine,
    [property: Id(4)] int Shards = 0,
    [property: Id(5)] IndexQuantization Quantization = IndexQuantization.None,
    [property: Id(6)] bool OnDisk = false,
    [property: Id(7)] int Replicas = 0,
    [property: Id(8)] IndexTextField[]? TextFields = null,
    [property: Id(9)] double? Bm25K1 = null,
    [property: Id(10)] double? Bm25B = null,
    [property: Id(11)] int Revision = 0,
    [property: Id(12)] NamedVector[]? Vectors = null);

/// <summary>An index's effective parameters, its number of items and its shard count; <c>Quarantined</c> counts the
/// items stored before the vector rule refused what they hold: not searchable, not in <c>Length</c>, deletable by id.</summary>
[GenerateSerializer, Immutable, Alias("vectord.IndexInfo")]
public sealed record IndexInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int Dimension,
    [property: Id(2)] int M,
    [property: Id(3)] int EfSearch,
    [property: Id(4)] IndexDistance Distance,
    [property: Id(5)] int Length,
    [property: Id(6)] int Shards = 1,
    [property: Id(7)] IndexQuantization Quantization = IndexQuantization.None,
    [property: Id(8)] bool OnDisk = false,
    [property: Id(9)] int Quarantined = 0,
    [property: Id(10)] int Replicas = 1,
    [property: Id(11)] IndexTextField[]? TextFields = null,
    [property: Id(12)] double? Bm25K1 = null,
    [property: Id(13)] double? Bm25B = null,
    [property: Id(14)] NamedVector[]? Vectors = null);

/// <summary>Where one copy of a part of an index lives, how many items it holds and how far it has followed the part's log.</summary>
/// <param name="Shard">The part's number, 0 to shards − 1.</param>
/// <param name="Length">Items in the copy.</param>
/// <param name="Silo">Address of the silo holding the copy, or null when it is not active.</param>
/// <param name="Quarantined">Items of the copy in quarantine (see <see cref="IndexInfo"/>).</param>
/// <param name="Replica">The copy's number: 0 for the primary, 1 to replicas − 1 for the others.</param>
/// <param name="Role">The copy's role.</param>
/// <param name="LogPosition">Sequence number of the last log record the copy holds.</param>
/// <param name="Lag">Log records the copy is behind its primary, as far as it knows (0 for the primary).</param>
/// <param name="Ready">False while the copy is loading or catching up; reads then go to the other copies.</param>
/// <param name="Searches">Searches the copy has answered since it was activated.</param>
/// <param name="MemoryBytes">Memory the copy's index takes on its silo (graph, vectors and payload index; vectors kept on
/// disk are not counted), 0 when it is not loaded.</param>
[GenerateSerializer, Immutable, Alias("vectord.ShardInfo")]
public sealed record ShardInfo(
    [property: Id(0)] int Shard,
    [property: Id(1)] int Length,
    [property: Id(2)] string? Silo,
    [property: Id(3)] int Quarantined = 0,
    [property: Id(4)] int Replica = 0,
    [property: Id(5)] CopyRole Role = CopyRole.Primary,
    [property: Id(6)] long LogPosition = 0,
    [property: Id(7)] long Lag = 0,
    [property: Id(8)] bool Ready = true,
    [property: Id(9)] long Searches = 0,
    [property: Id(10)] long MemoryBytes = 0);

/// <summary>The role of one copy of a part of an index.</summary>
public enum CopyRole
{
    /// <summary>Takes the part's writes and passes them on.</summary>
    Primary = 0,
    /// <summary>Follows the primary's log and serves reads.</summary>
    Replica = 1,
}

/// <summary>Which copies of an index's parts a read may use.</summary>
public enum ReadConsistency
{
    /// <summary>Any copy that is ready, spread evenly: a replica may be at most one acknowledged write batch behind
    /// its primary.</summary>
    Any = 0,
    /// <summary>The primaries only: a read sees every write acknowledged before it began (read your writes).</summary>
    Primary = 1,
}

/// <summary>One item. <paramref name="Metadata"/> is one JSON value kept byte for byte (text converts to it
/// implicitly); null means no metadata. In an index with named vectors the item carries one of each in
/// <paramref name="Vectors"/>, by name, and its <paramref name="Vector"/> is empty.</summary>
[GenerateSerializer, Immutable, Alias("vectord.IndexItem")]
public sealed record IndexItem(
    [property: Id(0)] string Id,
    [property: Id(1)] float[] Vector,
    [property: Id(2)] ItemMetadata? Metadata = null,
    [property: Id(3)] Dictionary<string, float[]>? Vectors = null);

/// <summary>One named vector of an index (<see cref="IndexSpec.Vectors"/>).</summary>
/// <param name="Name">Its name (<see cref="VectorNames"/>), unique in the index.</param>
/// <param name="Dimension">Its length, 1–65536; the named vectors of an index add up to at most 65536.</param>
/// <param name="Distance">Its distance function.</param>
/// <param name="Quantization">How its search compresses it.</param>
[GenerateSerializer, Immutable, Alias("vectord.NamedVector")]
public sealed record NamedVector(
    [property: Id(0)] string Name,
    [property: Id(1)] int Dimension,
    [property: Id(2)] IndexDistance Distance = IndexDistance.Cosine,
    [property: Id(3)] IndexQuantization Quantization = IndexQuantization.None);

/// <summary>One search result: <paramref name="Distance"/> is 1 − cos under cosine, the L2 distance under
/// euclidean, −(q·v) under dot. A keyword or hybrid search also gives <paramref name="Score"/> (higher is better): the
/// BM25 score, or the fused score; its <paramref name="Distance"/> is then NaN where the item was not among the
/// nearest items (a keyword search's hits always).</summary>
[GenerateSerializer, Immutable, Alias("vectord.SearchHit")]
public sealed record SearchHit(
    [property: Id(0)] string Id,
    [property: Id(1)] float Distance,
    [property: Id(2)] ItemMetadata? Metadata,
    [property: Id(3)] float? Score = null);

/// <summary>Outcome of an add: items applied and the index's length after it.</summary>
[GenerateSerializer, Immutable, Alias("vectord.AddResult")]
public sealed record AddResult([property: Id(0)] int Added, [property: Id(1)] int Length);

/// <summary>Outcome of a delete: ids that existed and the index's length after it.</summary>
[GenerateSerializer, Immutable, Alias("vectord.DeleteResult")]
public sealed record DeleteResult([property: Id(0)] int Deleted, [property: Id(1)] int Length);

/// <summary>Outcome of a merge.</summary>
[GenerateSerializer, Immutable, Alias("vectord.MergeResult")]
public sealed record MergeResult(
    [property: Id(0)] int Merged,
    [property: Id(1)] int SkippedAlreadyPresent,
    [property: Id(2)] int Failed,
    [property: Id(3)] int LengthDest,
    [property: Id(4)] int LengthSource,
    [property: Id(5)] string? FirstError);

/// <summary>One page of items; <paramref name="Next"/> is the <c>after</c> value for the next page, null at the end.</summary>
[GenerateSerializer, Immutable, Alias("vectord.ItemPage")]
public sealed record ItemPage([property: Id(0)] IndexItem[] Items, [property: Id(1)] string? Next);
