namespace Vectord.Grains.Parts;

/// <summary>
/// Lets an index's writes be held back for a moment between two of them, for a snapshot that must see each write
/// wholly or not at all, also across the parts of a sharded index. The index grain runs its writes one at a time
/// (non-reentrant turns), so at most one is in flight; a hold waits for that one, keeps new ones waiting while it
/// runs, then lets them go. Used on the activation's scheduler only (one thread at a time).
/// </summary>
internal sealed class WriteGate
{
    private Task _held = Task.CompletedTask;
    private Task _running = Task.CompletedTask;

    /// <summary>Runs a write once no hold is in place.</summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        while (!_held.IsCompleted) { await _held; }
        var done = new TaskCompletionSource();
        _running = done.Task;
        try
        {
            return await write();
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>Runs <paramref name="between"/> after the write in flight (if any) and before the next one.</summary>
    public async Task<T> HoldAsync<T>(Func<Task<T>> between)
    {
        while (!_held.IsCompleted) { await _held; }
        var hold = new TaskCompletionSource();
        _held = hold.Task;
        try
        {
            await _running;
            return await between();
        }
        finally
        {
            hold.SetResult();
        }
    }
}
