using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord.Contracts;

/// <summary>Body of <c>POST /vectors/index</c>.</summary>
/// <param name="Name">Index name: 1–128 characters of <c>A-Z a-z 0-9 . _ -</c>, first a letter or digit.</param>
/// <param name="Dimension">Vector length, 1–65536.</param>
/// <param name="M">HNSW max links per node, 2–128; omitted or 0 = 16.</param>
/// <param name="EfSearch">Default search beam width, 1–10000; omitted or 0 = the default.</param>
/// <param name="Distance"><c>cosine</c> (default), <c>euclidean</c> or <c>dot</c>.</param>
/// <param name="Shards">Parts the index is spread over, 1–64; omitted or 0 = 1.</param>
/// <param name="Quantization"><c>none</c> (default) or <c>int8</c>: search on one-byte codes of the vectors, then
/// rescore the best candidates with the floats.</param>
/// <param name="OnDisk"><c>true</c>: keep the float vectors in a memory-mapped file in the node's cache directory, only
/// the graph and the codes in memory; omitted = <c>false</c>.</param>
/// <param name="Replicas">Copies of each shard, each on another node, 1–8 and at most the cluster's node count;
/// omitted or 0 = 1.</param>
/// <param name="TextFields">Metadata fields searchable by words (BM25): keys, or <c>{"key","language"}</c> objects.</param>
/// <param name="Bm25">BM25's parameters of the text fields; omitted = k1 1.2, b 0.75.</param>
/// <param name="Vectors">In place of <paramref name="Dimension"/>: named vectors, <c>{"title": {"dimension", "distance"?,
/// "quantization"?}, ...}</c>, each item carrying one of each; or <c>{}</c>, an index whose items carry no vector,
/// only metadata, searched by words or read by filter (its <c>params</c> say dimension 0).</param>
public sealed record CreateIndexRequest(string? Name, int? Dimension, int? M, int? EfSearch, string? Distance, int? Shards,
    string? Quantization = null, bool? OnDisk = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Replicas = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TextFieldSpec?[]? TextFields = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Bm25Params? Bm25 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, VectorParams?>? Vectors = null);

/// <summary>Body of <c>POST /vectors/index/{name}/text_fields</c>.</summary>
/// <param name="TextFields">Metadata fields to make searchable by words: keys, or <c>{"key","language"}</c> objects; a
/// field the index has already, in the same language, is kept as it is.</param>
public sealed record AddTextFieldsRequest(TextFieldSpec?[]? TextFields);

/// <summary>An index's effective parameters.</summary>
/// <param name="Name">Index name.</param>
/// <param name="Dimension">Vector length; 0 for an index whose items carry no vector.</param>
/// <param name="M">HNSW max links per node.</param>
/// <param name="EfSearch">Default search beam width.</param>
/// <param name="Distance"><c>cosine</c>, <c>euclidean</c> or <c>dot</c>.</param>
/// <param name="Shards">Parts the index is spread over.</param>
/// <param name="Quantization"><c>none</c> or <c>int8</c>.</param>
/// <param name="OnDisk">Whether the float vectors are kept in a memory-mapped file.</param>
/// <param name="Replicas">Copies of each shard.</param>
/// <param name="TextFields">The text fields, each with its language; omitted when the index has none.</param>
/// <param name="Bm25">BM25's parameters; omitted when the index has no text fields.</param>
/// <param name="Vectors">The named vectors, in order; omitted when the index has none (its dimension is then that of
/// its one vector, or 0 for an index without vectors).</param>
public sealed record IndexParams(string Name, int Dimension, int M, int EfSearch, string Distance, int Shards, string Quantization,
    bool OnDisk, int Replicas = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TextFieldSpec[]? TextFields = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Bm25Params? Bm25 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, VectorParams?>? Vectors = null);

/// <summary>One copy of a part of an index.</summary>
/// <param name="Shard">The part's number.</param>
/// <param name="Length">Items in the copy.</param>
/// <param name="Silo">Address of the node holding it; null when it is not active.</param>
/// <param name="Replica">The copy's number: 0 for the primary.</param>
/// <param name="Role"><c>primary</c> (takes the part's writes) or <c>replica</c> (follows the primary's log).</param>
/// <param name="LogPosition">Sequence number of the last log record the copy holds.</param>
/// <param name="Lag">Log records the copy is behind its primary.</param>
/// <param name="Ready">False while the copy loads or catches up (reads go to the other copies).</param>
/// <param name="Searches">Searches the copy has answered since it was loaded on its node.</param>
/// <param name="MemoryBytes">Memory the copy's index takes on its node; 0 when it is not loaded.</param>
public sealed record ShardResponse(int Shard, int Length, string? Silo, int Replica = 0, string Role = "primary", long LogPosition = 0,
    long Lag = 0, bool Ready = true, long Searches = 0, long MemoryBytes = 0);

/// <summary>Body of <c>GET /vectors/index/{name}/shards</c>.</summary>
/// <param name="Shards">Each copy of each part, by shard, the primary first.</param>
public sealed record ShardsResponse(ShardResponse[] Shards);

/// <summary>An index: its parameters and number of items.</summary>
/// <param name="Params">Effective parameters.</param>
/// <param name="Length">Number of items.</param>
/// <param name="Quarantined">Items stored before the vector rule refused what they hold: not searchable, not in
/// <paramref name="Length"/>, deletable by id.</param>
public sealed record IndexResponse(IndexParams Params, int Length, int Quarantined = 0);

/// <summary>Body of <c>GET /vectors/index</c>.</summary>
/// <param name="Names">Index names, sorted ordinally.</param>
/// <param name="Count">Number of names.</param>
public sealed record IndexListResponse(string[] Names, int Count);

/// <summary>One item of an add request.</summary>
/// <param name="Id">Item id, non-empty, at most 1 KiB of UTF-8.</param>
/// <param name="Vector">Components; as many as the index's dimension, all finite.</param>
/// <param name="Metadata">Any JSON value of at most 64 KiB, stored byte for byte; absent = no metadata.</param>
/// <param name="Vectors">In an index with named vectors, one of each by name, in place of <paramref name="Vector"/>.</param>
public sealed record AddItem(
    string? Id,
    [property: JsonConverter(typeof(FiniteFloatArrayConverter))] float[]? Vector,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemMetadata? Metadata,
    [property: JsonConverter(typeof(NamedVectorsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, float[]>? Vectors = null);

/// <summary>Body of <c>POST /vectors/index/{name}/add</c>.</summary>
/// <param name="Items">The batch, applied whole or not at all; at most 10,000 items.</param>
public sealed record AddRequest([property: JsonConverter(typeof(AddItemsConverter))] AddItem?[]? Items);

/// <summary>Result of an add.</summary>
/// <param name="Added">Items applied.</param>
/// <param name="Length">The index's number of items after the add.</param>
public sealed record AddResponse(int Added, int Length);

/// <summary>Body of <c>POST /vectors/index/{name}/search</c>.</summary>
/// <param name="Vector">The query.</param>
/// <param name="K">Results wanted: omitted or ≤ 0 = 10, capped at 1000.</param>
/// <param name="Ef">Beam width for this query; omitted = the index's ef_search.</param>
/// <param name="Filter">Only items matching this filter (<c>{"must","should","must_not"}</c>, Qdrant's shape) are
/// returned; omitted or null = every item. Read with <see cref="FilterJson.Read(System.Text.Json.JsonElement, string)"/>.</param>
/// <param name="Consistency"><c>any</c> (default): any ready copy of each shard answers, at most one acknowledged
/// write batch behind its primary; <c>primary</c>: the primaries answer, so the search sees every acknowledged write.</param>
/// <param name="Text">The keyword half of a hybrid search (the index must have text fields); omitted: by vector only.</param>
/// <param name="Fusion">How a hybrid search fuses its two lists: <c>rrf</c> (default, reciprocal rank) or
/// <c>weighted</c> (min–max scaled scores, <c>alpha</c> · vector + (1 − alpha) · keyword).</param>
/// <param name="Alpha">The vector list's weight in weighted fusion, 0–1; omitted = 0.5.</param>
/// <param name="Using">The named vector searched, in an index with named vectors (required there).</param>
public sealed record SearchRequest(
    [property: JsonConverter(typeof(FiniteFloatArrayConverter))] float[]? Vector,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? K,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Ef,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Consistency = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TextSearch? Text = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fusion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Alpha = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Using = null);

/// <summary>The keyword half of a hybrid search body.</summary>
/// <param name="Query">The words, scored by BM25.</param>
/// <param name="Fields">The text fields searched; omitted = all of them.</param>
public sealed record TextSearch(
    string? Query,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string?[]? Fields = null);

/// <summary>Body of <c>POST /vectors/index/{name}/search/text</c>.</summary>
/// <param name="Query">The words, scored by BM25 over the index's text fields.</param>
/// <param name="K">Results wanted: omitted or ≤ 0 = 10, capped at 1000.</param>
/// <param name="Fields">The text fields searched (their scores add up); omitted = all of them.</param>
/// <param name="Filter">Only items matching it; omitted or null = every item.</param>
/// <param name="Consistency">As for a search.</param>
public sealed record TextSearchRequest(
    string? Query,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? K = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string?[]? Fields = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Consistency = null);

/// <summary>One result of a keyword search.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Score">BM25 score, higher is better.</param>
/// <param name="Metadata">The item's metadata; omitted when it has none.</param>
public sealed record TextSearchResult(
    string Id,
    float Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemMetadata? Metadata);

/// <summary>Answer of a keyword search.</summary>
/// <param name="Results">Best matches first.</param>
public sealed record TextSearchResponse(TextSearchResult[] Results);

/// <summary>Body of <c>POST /vectors/index/{name}/search/batch</c>.</summary>
/// <param name="Searches">1 to 1024 searches, each as the body of a search; run in order, all or none.</param>
public sealed record SearchBatchRequest([property: JsonConverter(typeof(SearchesConverter))] SearchRequest?[]? Searches);

/// <summary>Answer of a batch of searches.</summary>
/// <param name="Results">One list of nearest items per search, in the order of the searches.</param>
public sealed record SearchBatchResponse(SearchResult[][] Results);

/// <summary>Body of <c>POST /vectors/index/{name}/items/query</c>.</summary>
/// <param name="Filter">Which items; omitted or null = every item.</param>
/// <param name="Limit">Page size: omitted or ≤ 0 = 100, capped at 1000.</param>
/// <param name="After">Only ids that sort after this one (ordinal): the <c>next</c> of the previous page.</param>
/// <param name="Vectors">Whether the items carry their vectors.</param>
/// <param name="OrderBy">Metadata keys the items are ordered by, in turn, instead of id order; then page with
/// <paramref name="Offset"/> (not <paramref name="After"/>).</param>
/// <param name="Offset">Items of the order skipped before the page (with <paramref name="OrderBy"/> only).</param>
public sealed record ItemQueryRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Limit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? After,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Vectors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OrderBySpec?[]? OrderBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Offset = null);

/// <summary>One key of an ordered query of items.</summary>
/// <param name="Key">The dotted path into the metadata.</param>
/// <param name="Direction"><c>asc</c> (default) or <c>desc</c>.</param>
public sealed record OrderBySpec(
    string? Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Direction = null);

/// <summary>A page of the items that match a filter.</summary>
/// <param name="Items">Matching items in id order.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null at the end.</param>
public sealed record ItemQueryResponse(ItemResponse[] Items, string? Next);

/// <summary>Body of <c>POST /vectors/index/{name}/count</c>.</summary>
/// <param name="Filter">Which items to count; omitted or null = every item.</param>
public sealed record CountRequest([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter);

/// <summary>Answer of a count.</summary>
/// <param name="Count">Items that match.</param>
public sealed record CountResponse(int Count);

/// <summary>One search result.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Distance">Distance to the query (1 − cos, L2, or −dot); in a hybrid search's results, omitted for an
/// item found by its words only.</param>
/// <param name="Metadata">The item's metadata; omitted when it has none.</param>
/// <param name="Score">A hybrid search's fused score, higher is better; omitted in a search by vector.</param>
public sealed record SearchResult(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Distance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemMetadata? Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Score = null);

/// <summary>Body of a search answer.</summary>
/// <param name="Results">Nearest items by ascending distance.</param>
public sealed record SearchResponse(SearchResult[] Results);

/// <summary>One stored item.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Vector">Components (omitted in listings without vectors).</param>
/// <param name="Metadata">The item's metadata; omitted when it has none.</param>
/// <param name="Vectors">In an index with named vectors, one of each by name, in place of <paramref name="Vector"/>
/// (omitted in listings without vectors).</param>
public sealed record ItemResponse(
    string Id,
    [property: JsonConverter(typeof(FiniteFloatArrayConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Vector,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemMetadata? Metadata,
    [property: JsonConverter(typeof(NamedVectorsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, float[]>? Vectors = null);

/// <summary>A page of items.</summary>
/// <param name="Items">Items in id order.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; omitted at the end.</param>
public sealed record ItemListResponse(
    ItemResponse[] Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>Body of <c>POST /vectors/index/{name}/delete</c>.</summary>
/// <param name="Ids">Ids to delete; non-empty, at most 10,000. Exactly one of <c>ids</c> and <c>filter</c>.</param>
/// <param name="Filter">Deletes every item matching it. Exactly one of <c>ids</c> and <c>filter</c>.</param>
public sealed record DeleteItemsRequest(
    [property: JsonConverter(typeof(DeleteIdsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string?[]? Ids,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter);

/// <summary>Result of a delete.</summary>
/// <param name="Deleted">Ids that existed.</param>
/// <param name="Length">The index's number of items after the delete.</param>
public sealed record DeleteItemsResponse(int Deleted, int Length);

/// <summary>Body of <c>POST /vectors/index/{name}/merge</c>.</summary>
/// <param name="Dest">Destination index.</param>
/// <param name="ClearSource">Remove merged and skipped items from the source.</param>
public sealed record MergeRequest(string? Dest, bool? ClearSource);

/// <summary>Result of a merge.</summary>
/// <param name="Merged">Items added to the destination.</param>
/// <param name="SkippedAlreadyPresent">Items whose id the destination already had.</param>
/// <param name="Failed">Items the destination rejected.</param>
/// <param name="LengthDest">Destination length after the merge.</param>
/// <param name="LengthSource">Source length after the merge.</param>
/// <param name="FirstError">The first rejection's message; omitted when none failed.</param>
public sealed record MergeResponse(
    int Merged,
    int SkippedAlreadyPresent,
    int Failed,
    int LengthDest,
    int LengthSource,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FirstError);

/// <summary>Body of <c>GET /health</c>.</summary>
/// <param name="Status">Always <c>ok</c> when served with 200.</param>
/// <param name="Silos">Active silos in the cluster.</param>
public sealed record HealthResponse(string Status, int Silos);

/// <summary>Source-generated serialisation of every request and response body of the HTTP API (snake_case names): the
/// gateway reads requests and writes answers with it, the client the other way round.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    MaxDepth = 64,
    NumberHandling = JsonNumberHandling.Strict,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CreateIndexRequest))]
[JsonSerializable(typeof(IndexResponse))]
[JsonSerializable(typeof(IndexListResponse))]
[JsonSerializable(typeof(ShardsResponse))]
[JsonSerializable(typeof(AddRequest))]
[JsonSerializable(typeof(AddResponse))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(SearchBatchRequest))]
[JsonSerializable(typeof(TextSearchRequest))]
[JsonSerializable(typeof(TextSearchResponse))]
[JsonSerializable(typeof(SearchBatchResponse))]
[JsonSerializable(typeof(ItemQueryRequest))]
[JsonSerializable(typeof(ItemQueryResponse))]
[JsonSerializable(typeof(CountRequest))]
[JsonSerializable(typeof(CountResponse))]
[JsonSerializable(typeof(ItemResponse))]
[JsonSerializable(typeof(ItemListResponse))]
[JsonSerializable(typeof(DeleteItemsRequest))]
[JsonSerializable(typeof(DeleteItemsResponse))]
[JsonSerializable(typeof(AddTextFieldsRequest))]
[JsonSerializable(typeof(MergeRequest))]
[JsonSerializable(typeof(MergeResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(SnapshotResponse))]
[JsonSerializable(typeof(SnapshotListResponse))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
