using System.Text.Json;
using Orleans.Runtime;
using Orleans.Storage;
using Vectord.Storage;

namespace Vectord.Grains.Hosting;

/// <summary>
/// Orleans grain storage over an <see cref="IIndexBlobStore"/>: each grain state is one versioned JSON document
/// under <c>grains/{type}/{key}/{state}</c>; the document's version is the state's ETag, and a write or clear with
/// a stale ETag raises <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class StoragedGrainStorage(IIndexBlobStore store) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var document = await store.ReadDocumentAsync(Key(stateName, grainId)).ConfigureAwait(false);
        if (document is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = JsonSerializer.Deserialize<T>(document.Content.Span, Json) ?? Activator.CreateInstance<T>();
        grainState.ETag = document.ETag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(grainState.State, Json);
        try
        {
            grainState.ETag = await store.WriteDocumentAsync(Key(stateName, grainId), bytes, grainState.ETag).ConfigureAwait(false);
            grainState.RecordExists = true;
        }
        catch (StorageConflictException e)
        {
            throw new InconsistentStateException(e.Message, "unknown", grainState.ETag ?? "none", e);
        }
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        try
        {
            await store.DeleteDocumentAsync(Key(stateName, grainId), grainState.ETag).ConfigureAwait(false);
        }
        catch (StorageConflictException e)
        {
            throw new InconsistentStateException(e.Message, "unknown", grainState.ETag ?? "none", e);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static string Key(string stateName, GrainId grainId) =>
        StorageKeys.GrainState(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);
}
