using System.Text.Json.Serialization;

namespace Vectord.Gateway.Json;

/// <summary>Body of <c>GET /auth/whoami</c>.</summary>
/// <param name="Auth">Whether the node checks bearer tokens.</param>
/// <param name="Access"><c>read-write</c> or <c>read-only</c>: what the request's token may do.</param>
public sealed record WhoAmIResponse(bool Auth, string Access);

/// <summary>Body of <c>GET /cluster/silos</c>: the silos and the cluster's totals.</summary>
/// <param name="Silos">Every silo in the membership that is not long dead.</param>
/// <param name="Indexes">Indexes in the catalog.</param>
/// <param name="Vectors">Vectors held by the active silos (the sum of their parts).</param>
/// <param name="SearchLatencyBounds">Upper bounds (seconds) of the silos' search latency buckets.</param>
public sealed record ClusterSilosResponse(SiloSummary[] Silos, int Indexes, long Vectors, double[] SearchLatencyBounds);

/// <summary>One silo.</summary>
/// <param name="Address">Its address (<c>ip:port@generation</c>).</param>
/// <param name="Name">Its name.</param>
/// <param name="Status"><c>active</c>, <c>joining</c>, <c>shutting_down</c>, <c>stopping</c>, <c>dead</c>…</param>
/// <param name="Parts">Index parts it holds.</param>
/// <param name="Vectors">Vectors in those parts.</param>
/// <param name="IndexBytes">Approximate memory of those parts.</param>
/// <param name="MemoryBytes">The silo process's working set.</param>
/// <param name="ItemsAdded">Items added on it since it started (cumulative).</param>
/// <param name="SearchLatencyCounts">Searches on it since it started per latency bucket (cumulative; the last
/// bucket is slower than every bound). Two readings apart give the rate and the latencies in between.</param>
/// <param name="Error">Why it did not answer, when it did not.</param>
public sealed record SiloSummary(
    string Address,
    string Name,
    string Status,
    int Parts,
    long Vectors,
    long IndexBytes,
    long MemoryBytes,
    long ItemsAdded,
    long[] SearchLatencyCounts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>Body of <c>GET /cluster/indexes</c>: one page of index summaries in name order.</summary>
/// <param name="Indexes">The page.</param>
/// <param name="Next">The <c>after</c> value of the next page; null on the last one.</param>
/// <param name="Count">Indexes matching the query in all (every page).</param>
public sealed record IndexSummaryPage(IndexSummary[] Indexes, string? Next, int Count);

/// <summary>One index as the cluster holds it. Parameters are absent when the index could not answer.</summary>
/// <param name="Name">Index name.</param>
/// <param name="Params">Its parameters (as in <c>GET /vectors/index/{name}</c>).</param>
/// <param name="Length">Its items.</param>
/// <param name="Silos">Addresses of the silos holding a part of it now (empty when none is loaded).</param>
/// <param name="Error">Why it could not answer (corrupt, storage down, timed out).</param>
public sealed record IndexSummary(
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IndexParams? Params,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Length,
    string[] Silos,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>Source-generated serialisation of the operator routes' bodies (snake_case names).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ClusterSilosResponse))]
[JsonSerializable(typeof(IndexSummaryPage))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
