using Orleans.Storage;

namespace Vectord.Grains;

/// <summary>
/// A grain's persisted state in the <c>storaged</c> provider, read on first use rather than while the grain
/// activates. The runtime reports a failed read during activation as a generic error; read here, a storage outage
/// reaches the caller as <see cref="StorageUnavailableException"/> and the next call simply tries again.
/// Writes and clears use the state's ETag, so a conflicting writer raises <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class DeferredGrainState<T>(IGrainStorage storage, string stateName, GrainId grainId)
    where T : new()
{
    private readonly GrainState<T> state = new(new T());
    private Task? reading;
    private bool read;

    /// <summary>The state; valid once <see cref="EnsureReadAsync"/> has completed.</summary>
    public T State
    {
        get => state.State!;
        set => state.State = value;
    }

    /// <summary>Reads the state from storage unless it has been read already.</summary>
    public async Task EnsureReadAsync()
    {
        if (read) { return; }
        reading ??= storage.ReadStateAsync(stateName, grainId, state);
        try
        {
            await reading;
            read = true;
        }
        catch (Exception)
        {
            reading = null;
            throw;
        }
    }

    /// <summary>Reads the state from storage again.</summary>
    public async Task ReadStateAsync()
    {
        read = false;
        reading = null;
        await EnsureReadAsync();
    }

    /// <summary>Writes the state, conditional on the version last read or written.</summary>
    public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, state);

    /// <summary>Deletes the state, conditional on the version last read or written.</summary>
    public Task ClearStateAsync() => storage.ClearStateAsync(stateName, grainId, state);
}
