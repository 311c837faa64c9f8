using System.Text.Json;
using Vectord.Storage;

namespace Vectord.Storage.Log;

/// <summary>A part's checkpoint kept as a small versioned JSON document in the blob store, written conditionally on
/// the version last read (<c>{"snapshot_seq":n,"snapshot_bytes":b}</c>).</summary>
internal sealed class DocumentCheckpoint : IPartCheckpoint
{
    private readonly IIndexBlobStore _store;
    private readonly string _key;
    private string? _etag;

    private DocumentCheckpoint(IIndexBlobStore store, string key)
    {
        _store = store;
        _key = key;
    }

    /// <inheritdoc/>
    public long SnapshotSeq { get; private set; }

    /// <inheritdoc/>
    public long SnapshotBytes { get; private set; }

    /// <summary>Reads the checkpoint at <paramref name="key"/>; a missing document is the empty checkpoint.</summary>
    /// <exception cref="IndexCorruptException">The document is not a checkpoint.</exception>
    public static async Task<DocumentCheckpoint> ReadAsync(IIndexBlobStore store, string key, string owner)
    {
        var checkpoint = new DocumentCheckpoint(store, key);
        var document = await store.ReadDocumentAsync(key);
        if (document is null) { return checkpoint; }
        try
        {
            using var json = JsonDocument.Parse(document.Content);
            checkpoint.SnapshotSeq = json.RootElement.GetProperty("snapshot_seq").GetInt64();
            checkpoint.SnapshotBytes = json.RootElement.GetProperty("snapshot_bytes").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new IndexCorruptException($"{owner} is corrupt: its checkpoint is unreadable ({e.Message})");
        }
        checkpoint._etag = document.ETag;
        return checkpoint;
    }

    /// <inheritdoc/>
    public async Task<bool> TryMoveAsync(long seq, long bytes)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long> { ["snapshot_seq"] = seq, ["snapshot_bytes"] = bytes });
        try
        {
            _etag = await _store.WriteDocumentAsync(_key, content, _etag);
        }
        catch (StorageConflictException)
        {
            return false;
        }
        (SnapshotSeq, SnapshotBytes) = (seq, bytes);
        return true;
    }
}
