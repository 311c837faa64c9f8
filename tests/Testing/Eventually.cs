namespace Vectord.Testing;

/// <summary>Waits, bounded in time, for state that background work (snapshots, log compaction, deletes, another
/// process, another silo) settles after the call that started it has returned.</summary>
public static class Eventually
{
    /// <summary>Reads <paramref name="read"/> every 50 ms until <paramref name="settled"/> holds and returns that value;
    /// after <paramref name="timeout"/> returns the last value read, for the caller's assertions to describe.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> settled, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (settled(value) || DateTime.UtcNow >= deadline) { return value; }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Checks <paramref name="condition"/> every 50 ms until it holds (true) or <paramref name="timeout"/>
    /// has passed (false).</summary>
    public static Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReadAsync(condition, holds => holds, timeout, cancellationToken);

    /// <summary>Checks <paramref name="condition"/> every 50 ms until it holds (true) or <paramref name="timeout"/>
    /// has passed (false).</summary>
    public static Task<bool> HoldsAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReadAsync(() => Task.FromResult(condition()), holds => holds, timeout, cancellationToken);
}
