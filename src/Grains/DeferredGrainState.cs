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
    private readonly GrainState<T> _state = new(new T());
    private Task? _reading;
    private bool _read;

    /// <summary>The state; valid once <see cref="EnsureReadAsync"/> has completed.</summary>
    public T State
    {
        get => _state.State!;
        set => _state.State = value;
    }

    /// <summary>Reads the state from storage unless it has been read already.</summary>
    public async Task EnsureReadAsync()
    {
        if (_read) { return; }
        _reading ??= storage.ReadStateAsync(stateName, grainId, _state);
        try
        {
            await _reading;
            _read = true;
        }
        catch (Exception)
        {
            _reading = null;
            throw;
        }
    }

    /// <summary>Reads the state from storage again.</summary>
    public async Task ReadStateAsync()
    {
        _read = false;
        _reading = null;
        await EnsureReadAsync();
    }

    /// <summary>Writes the state, conditional on the version last read or written.</summary>
    public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, _state);

    /// <summary>Deletes the state, conditional on the version last read or written.</summary>
    public Task ClearStateAsync() => storage.ClearStateAsync(stateName, grainId, _state);
}
