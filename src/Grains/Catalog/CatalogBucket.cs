using Orleans.Storage;

namespace Vectord.Grains.Catalog;

/// <summary>
/// One bucket of the catalog of index names: a grain state of its own holding the names that hash to it, written
/// with group commit. Changes that arrive while a write is under way wait and go into the next write together, so
/// concurrent creates and drops cost one storage write per round rather than one each, and a write carries only this
/// bucket's share of the names.
/// </summary>
/// <remarks>
/// Meant for a grain's single-threaded scheduler: no member is thread-safe, and the write loop's continuations must run
/// where the calls do. A change is durable when its task completes; a failed write fails every change it carried, and
/// the bucket in memory is as before it.
/// </remarks>
internal sealed class CatalogBucket(IGrainStorage storage, string stateName, GrainId grainId)
{
    private const int MaxAttempts = 5;
    private readonly DeferredGrainState<CatalogState> _state = new(storage, stateName, grainId);
    private List<PendingChange> _pending = [];
    private bool _writing;

    /// <summary>The bucket's names, as last written (or being written).</summary>
    public IReadOnlyList<string> Names => _state.State.Names;

    /// <summary>Reads the bucket from storage unless it has been read already.</summary>
    public Task EnsureReadAsync() => _state.EnsureReadAsync();

    /// <summary>Records (<paramref name="present"/> true) or forgets a name; completes once that is durable.</summary>
    public Task ChangeAsync(string name, bool present)
    {
        var change = new PendingChange(name, present);
        _pending.Add(change);
        if (!_writing)
        {
            _writing = true;
            _ = WriteLoopAsync();
        }
        return change.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending;
                _pending = [];
                try
                {
                    await WriteAsync(batch);
                    foreach (var change in batch) { change.Done.TrySetResult(); }
                }
                catch (Exception e)
                {
                    foreach (var change in batch) { change.Done.TrySetException(e); }
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>Applies the changes in order and writes the bucket once. Adding or removing a name commutes with any
    /// other such change, so when another writer got there first (a version conflict) the bucket is read again and
    /// the changes applied again.</summary>
    private async Task WriteAsync(List<PendingChange> batch)
    {
        await _state.EnsureReadAsync();
        for (var attempt = 1; ; attempt++)
        {
            var current = _state.State;
            var names = new HashSet<string>(current.Names, StringComparer.Ordinal);
            var changed = false;
            foreach (var change in batch)
            {
                changed |= change.Present ? names.Add(change.Name) : names.Remove(change.Name);
            }
            if (!changed) { return; }

            _state.State = new CatalogState { Names = [.. names] };
            var written = false;
            try
            {
                written = await GrainStateWrites.TryAsync(_state.WriteStateAsync);
            }
            finally
            {
                if (!written) { _state.State = current; }
            }
            if (written) { return; }
            if (attempt == MaxAttempts) { throw new StorageUnavailableException("the catalog keeps being changed concurrently; retry"); }
            await _state.ReadStateAsync();
        }
    }

    private sealed class PendingChange(string name, bool present)
    {
        public string Name { get; } = name;

        public bool Present { get; } = present;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
