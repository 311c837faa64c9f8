namespace Vectord.Grains.Merge;

/// <summary>Runs the merges out of one source one after another, so that a repeated call (a client retrying after a
/// timeout) does not run beside the first and page the same items twice: it waits, then skips what the first merged.
/// Called from the source's activation, whose turns never run at once.</summary>
internal sealed class MergeQueue
{
    private Task _last = Task.CompletedTask;

    /// <summary>Runs <paramref name="merge"/> once every merge queued before it has finished.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> merge)
    {
        var previous = _last;
        var mine = new TaskCompletionSource();
        _last = mine.Task;
        try
        {
            await previous;
            return await merge();
        }
        finally
        {
            mine.SetResult();
        }
    }
}
