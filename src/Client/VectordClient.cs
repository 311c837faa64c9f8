using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Vectord.Contracts;

namespace Vectord.Client;

/// <summary>
/// A typed client of the Vectord HTTP API (<c>/vectors/index/...</c>). It speaks the grain API's vocabulary: the
/// same records (<see cref="IndexInfo"/>, <see cref="IndexItem"/>, <see cref="SearchHit"/>, <see cref="ItemFilter"/>
/// ...) and the same errors (<see cref="IndexNotFoundException"/>, <see cref="InvalidIndexArgumentException"/> ...),
/// each carrying the answer's status in <see cref="VectordException.Status"/> and its <c>detail</c> as message.
/// </summary>
/// <remarks>
/// Create one with <c>services.AddVectordClient(...)</c> (an <see cref="IHttpClientFactory"/> client that retries
/// reads on 503 and transport errors) or <see cref="VectordClient(HttpClient)"/> over an <see cref="HttpClient"/> whose
/// <see cref="HttpClient.BaseAddress"/> is the service's endpoint. It is thread-safe.
/// <example>
/// <code>
/// var client = new VectordClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8080") });
/// await client.CreateIndexAsync("docs", new IndexSpec(Dimension: 3));
/// await client.AddAsync("docs", [new IndexItem("a", [1, 0, 0], """{"lang":"en"}""")]);
/// SearchHit[] hits = await client.SearchAsync("docs", new SearchQuery([1, 0, 0], K: 5));
/// </code>
/// </example>
/// </remarks>
public sealed partial class VectordClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly HttpClient _http;

    /// <summary>A client sending its requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">Its <see cref="HttpClient.BaseAddress"/> is the service's endpoint, e.g.
    /// <c>http://127.0.0.1:8080</c>; set an <c>Authorization: Bearer</c> default header when the service checks
    /// tokens.</param>
    public VectordClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("the HttpClient needs a BaseAddress: the service's endpoint", nameof(httpClient));
        }
        _http = httpClient;
    }

    /// <summary>Creates an index.</summary>
    /// <param name="name">1–128 characters of <c>A-Z a-z 0-9 . _ -</c>, first a letter or digit.</param>
    /// <param name="spec">Dimension (0: items carry no vector, only metadata), links, beam width, distance, shard count
    /// and copies of each shard (0 = the default), quantization and on-disk vectors.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The effective parameters, length 0.</returns>
    /// <exception cref="IndexAlreadyExistsException">The name is taken (409).</exception>
    /// <exception cref="InvalidIndexArgumentException">A parameter is out of range, or more replicas than the cluster has
    /// active silos (400).</exception>
    public async Task<IndexInfo> CreateIndexAsync(string name, IndexSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(spec);
        // Named vectors, and dimension 0 (an index whose items carry no vector, "vectors": {}), go in place of the
        // dimension, the distance and the quantization.
        bool inVectors = spec.Dimension == 0 || spec.Vectors is { Length: > 0 };
        var body = new CreateIndexRequest(name, inVectors ? null : spec.Dimension, spec.M, spec.EfSearch,
            inVectors ? null : DistanceNames.Format(spec.Distance), spec.Shards,
            inVectors ? null : QuantizationNames.Format(spec.Quantization), spec.OnDisk, spec.Replicas == 0 ? null : spec.Replicas,
            TextFieldNames.FromSpec(spec.TextFields), spec.Bm25K1 is null && spec.Bm25B is null ? null : new Bm25Params(spec.Bm25K1, spec.Bm25B),
            inVectors ? NamedVectorNames.FromSpec(spec.Vectors) ?? [] : null);
        IndexResponse answer = await SendAsync(HttpMethod.Post, "vectors/index",
            Json(body, GatewayJsonContext.Default.CreateIndexRequest), Retry.Never, GatewayJsonContext.Default.IndexResponse, cancellationToken)
            .ConfigureAwait(false);
        return ToInfo(answer);
    }

    /// <summary>Every index name, sorted ordinally.</summary>
    public async Task<string[]> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        IndexListResponse answer = await SendAsync(HttpMethod.Get, "vectors/index", null, Retry.Read,
            GatewayJsonContext.Default.IndexListResponse, cancellationToken).ConfigureAwait(false);
        return answer.Names;
    }

    /// <summary>An index's parameters and number of items.</summary>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<IndexInfo> GetIndexAsync(string name, CancellationToken cancellationToken = default)
    {
        IndexResponse answer = await SendAsync(HttpMethod.Get, IndexPath(name), null, Retry.Read,
            GatewayJsonContext.Default.IndexResponse, cancellationToken).ConfigureAwait(false);
        return ToInfo(answer);
    }

    /// <summary>Makes more metadata fields of the index searchable by words (<c>POST .../text_fields</c>): every copy
    /// of every part indexes its items' text of them, and every later write. A field the index has already, in the same
    /// language, is kept as it is, so the call is repeated on 503 like a read.</summary>
    /// <returns>The index's parameters with its text fields now.</returns>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    /// <exception cref="InvalidIndexArgumentException">A field is invalid or a text field already in another language (400).</exception>
    public async Task<IndexInfo> AddTextFieldsAsync(string name, IReadOnlyList<IndexTextField> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var body = new AddTextFieldsRequest(TextFieldNames.FromSpec([.. fields]));
        IndexResponse answer = await SendAsync(HttpMethod.Post, IndexPath(name) + "/text_fields",
            Json(body, GatewayJsonContext.Default.AddTextFieldsRequest), Retry.Read, GatewayJsonContext.Default.IndexResponse, cancellationToken)
            .ConfigureAwait(false);
        return ToInfo(answer);
    }

    /// <summary>Whether the index exists.</summary>
    public async Task<bool> IndexExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await GetIndexAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IndexNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Each copy of each part of the index, shard by shard, the primary first: its numbers, its items, the
    /// node holding it (null when not active), its role, and how far it has followed the part's log.</summary>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<ShardInfo[]> GetShardsAsync(string name, CancellationToken cancellationToken = default)
    {
        ShardsResponse answer = await SendAsync(HttpMethod.Get, IndexPath(name) + "/shards", null, Retry.Read,
            GatewayJsonContext.Default.ShardsResponse, cancellationToken).ConfigureAwait(false);
        return [.. answer.Shards.Select(s => new ShardInfo(s.Shard, s.Length, s.Silo, Replica: s.Replica, Role: CopyRoleNames.Parse(s.Role),
            LogPosition: s.LogPosition, Lag: s.Lag, Ready: s.Ready, Searches: s.Searches, MemoryBytes: s.MemoryBytes))];
    }

    /// <summary>Deletes an index and its stored data.</summary>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task DeleteIndexAsync(string name, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, IndexPath(name), null, Retry.Never,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies every item of <paramref name="source"/> into <paramref name="destination"/>; ids the
    /// destination has already are skipped, so merging again is safe.</summary>
    /// <param name="source">The index copied from.</param>
    /// <param name="destination">The index copied into; it must exist and have the same dimension.</param>
    /// <param name="clearSource">Removes from the source each item merged or skipped.</param>
    /// <param name="cancellationToken">Cancels the call (the merge may go on in the service).</param>
    /// <exception cref="IndexNotFoundException">The source or the destination does not exist (404).</exception>
    /// <exception cref="InvalidIndexArgumentException">The destination is the source, or the dimensions differ (400).</exception>
    public async Task<MergeResult> MergeAsync(string source, string destination, bool clearSource = false,
        CancellationToken cancellationToken = default)
    {
        MergeResponse answer = await SendAsync(HttpMethod.Post, IndexPath(source) + "/merge",
            Json(new MergeRequest(destination, clearSource), GatewayJsonContext.Default.MergeRequest), Retry.Never,
            GatewayJsonContext.Default.MergeResponse, cancellationToken).ConfigureAwait(false);
        return new MergeResult(answer.Merged, answer.SkippedAlreadyPresent, answer.Failed, answer.LengthDest,
            answer.LengthSource, answer.FirstError);
    }

    /// <summary>Checks that the node can serve (<c>GET /health</c>).</summary>
    /// <returns>The number of active silos in the cluster.</returns>
    /// <exception cref="StorageUnavailableException">The node cannot serve now (503).</exception>
    public async Task<int> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        HealthResponse answer = await SendAsync(HttpMethod.Get, "health", null, Retry.Read,
            GatewayJsonContext.Default.HealthResponse, cancellationToken).ConfigureAwait(false);
        return answer.Silos;
    }

    // ---------------------------------------------------------------- transport

    /// <summary>The path of an index, its name escaped.</summary>
    private static string IndexPath(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "vectors/index/" + Uri.EscapeDataString(name);
    }

    /// <summary>A JSON request body, serialised once (so a retry sends the same bytes).</summary>
    private static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> type) => Json(JsonSerializer.SerializeToUtf8Bytes(body, type));

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = s_json;
        return content;
    }

    /// <summary>Sends a request and reads its JSON answer; an error answer throws.</summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, Retry retry, JsonTypeInfo<T> answer,
        CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(method, path, content, retry,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(answer, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"{method} {path}: the answer's body is JSON null");
    }

    /// <summary>Sends a request; the caller reads (and disposes) the answer, error or not.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, Retry retry,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (retry == Retry.Read)
        {
            request.Options.Set(VectordRetries.Read, true);
        }
        return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws the exception of an error answer (<see cref="ProblemAnswers"/>); does nothing on success.</summary>
    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            Problem problem = await ProblemAnswers.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw ProblemAnswers.ToException(response.StatusCode, problem);
        }
    }

    /// <summary>True when the answer is the 404 of an index that has no such item (<c>code</c> item_not_found), as
    /// opposed to a missing index, which throws.</summary>
    private static async Task<bool> IsItemNotFoundAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return false;
        }
        Problem problem = await ProblemAnswers.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return problem.Code == ProblemCodes.ItemNotFound
            ? true
            : throw ProblemAnswers.ToException(response.StatusCode, problem);
    }

    private static IndexInfo ToInfo(IndexResponse answer)
    {
        IndexParams p = answer.Params;
        return new IndexInfo(p.Name, p.Dimension, p.M, p.EfSearch, DistanceNames.Parse(p.Distance), answer.Length, p.Shards,
            QuantizationNames.Parse(p.Quantization), p.OnDisk, answer.Quarantined, p.Replicas, TextFieldNames.ToSpec(p.TextFields),
            p.Bm25?.K1, p.Bm25?.B, p.Vectors is { } vectors ? NamedVectorNames.ToSpec(vectors) : null);
    }

    /// <summary>Whether the standard resilience handler may repeat a request.</summary>
    private enum Retry
    {
        /// <summary>A write: sent once.</summary>
        Never,
        /// <summary>A read (a GET, a search, a query, a count): repeated on 503 and transport errors.</summary>
        Read,
    }
}
