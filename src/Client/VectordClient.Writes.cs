using System.Text.Json;
using Vectord.Contracts;

namespace Vectord.Client;

public sealed partial class VectordClient
{
    /// <summary>
    /// Adds or replaces (upsert) items. A batch larger than one call may carry (10,000 items or a 64 MiB body) is
    /// sent as several calls, one after another, each applied whole and durable before the next is sent; if one
    /// fails, the calls before it stay applied. Never repeated automatically.
    /// </summary>
    /// <param name="index">The index.</param>
    /// <param name="items">The items; duplicate ids inside one call: the last one wins. <see cref="IndexItem.Metadata"/>
    /// must be one JSON value (or null for none).</param>
    /// <param name="cancellationToken">Cancels the call; calls already answered stay applied.</param>
    /// <returns>The items applied, and the index's length after the last call.</returns>
    /// <exception cref="InvalidIndexArgumentException">An item is invalid (empty id, wrong dimension, zero vector
    /// under cosine...); that call applied nothing (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    /// <exception cref="IndexFullException">The index part has no room for them (507).</exception>
    public async Task<AddResult> AddAsync(string index, IReadOnlyList<IndexItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("items must be non-empty", nameof(items));
        }
        var wire = new AddItem[items.Count];
        for (int i = 0; i < wire.Length; i++)
        {
            IndexItem item = items[i] ?? throw new ArgumentException($"items[{i}] is null", nameof(items));
            wire[i] = new AddItem(item.Id, item.Vector is [] && item.Vectors is not null ? null : item.Vector, item.Metadata, item.Vectors);
        }
        string path = IndexPath(index) + "/add";
        int added = 0;
        int length = 0;
        foreach (byte[] body in BatchBodies.Split(wire, "items", GatewayJsonContext.Default.AddItem, ItemLimits.MaxBatchItems))
        {
            AddResponse answer = await SendAsync(HttpMethod.Post, path, Json(body), Retry.Never,
                GatewayJsonContext.Default.AddResponse, cancellationToken).ConfigureAwait(false);
            added += answer.Added;
            length = answer.Length;
        }
        return new AddResult(added, length);
    }

    /// <summary>Deletes one item (<c>DELETE .../items/{id}</c>).</summary>
    /// <returns>True when the item existed; false when the index has no such item.</returns>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<bool> DeleteItemAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        if (!TravelsInPath(id))
        {
            DeleteResult result = await DeleteItemsAsync(index, [id], cancellationToken).ConfigureAwait(false);
            return result.Deleted > 0;
        }
        using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, ItemPath(index, id), null, Retry.Never,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return !await IsItemNotFoundAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the items with these ids, durably; ids not present are ignored and not counted. More than
    /// 10,000 ids (or a 64 MiB body) go as several calls, one after another.</summary>
    /// <returns>How many of the ids existed, and the index's length after the last call.</returns>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<DeleteResult> DeleteItemsAsync(string index, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            throw new ArgumentException("ids must be non-empty", nameof(ids));
        }
        string path = IndexPath(index) + "/delete";
        int deleted = 0;
        int length = 0;
        foreach (byte[] body in BatchBodies.Split(ids, "ids", GatewayJsonContext.Default.String, ItemLimits.MaxBatchItems))
        {
            DeleteItemsResponse answer = await SendAsync(HttpMethod.Post, path, Json(body), Retry.Never,
                GatewayJsonContext.Default.DeleteItemsResponse, cancellationToken).ConfigureAwait(false);
            deleted += answer.Deleted;
            length = answer.Length;
        }
        return new DeleteResult(deleted, length);
    }

    /// <summary>Deletes every item that matches <paramref name="filter"/>, durably, as one write.</summary>
    /// <returns>How many items were deleted, and the index's length after.</returns>
    /// <exception cref="InvalidIndexArgumentException">The filter is invalid; nothing was deleted (400).</exception>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<DeleteResult> DeleteWhereAsync(string index, ItemFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        DeleteItemsResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/delete",
            Json(new DeleteItemsRequest(null, FilterElement(filter)), GatewayJsonContext.Default.DeleteItemsRequest), Retry.Never,
            GatewayJsonContext.Default.DeleteItemsResponse, cancellationToken).ConfigureAwait(false);
        return new DeleteResult(answer.Deleted, answer.Length);
    }

    /// <summary>The path of one item: each <c>/</c>-separated part of the id escaped, so ids with slashes reach the
    /// route's catch-all whole. Only for ids that <see cref="TravelsInPath"/>.</summary>
    private static string ItemPath(string index, string id) =>
        IndexPath(index) + "/items/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// Whether the id reaches <c>.../items/{id}</c> unchanged. A part that is <c>.</c> or <c>..</c> is a dot segment
    /// that URI normalisation removes (escaped or not), turning <c>items/..</c> into the index's own path; such ids
    /// go by the routes that carry ids in the body instead (<c>items/query</c> with <c>has_id</c>, <c>delete</c>).
    /// </summary>
    private static bool TravelsInPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        foreach (string part in id.Split('/'))
        {
            if (part is "." or "..")
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A filter in its contract JSON form, or null for none.</summary>
    private static JsonElement? FilterElement(ItemFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FilterJson.Write(writer, filter);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
