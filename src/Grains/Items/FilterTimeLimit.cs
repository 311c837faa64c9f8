namespace Vectord.Grains.Items;

/// <summary>Runs a filtered read under the silo's time limit (<see cref="Hosting.FilterOptions"/>) and the caller's
/// cancellation: past the limit the work is cancelled and the caller told why.</summary>
internal static class FilterTimeLimit
{
    /// <summary>Runs <paramref name="read"/> with a token cancelled after <paramref name="limit"/> or when
    /// <paramref name="cancellationToken"/> is.</summary>
    /// <exception cref="FilterTimeoutException">The limit passed first.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<T> RunAsync<T>(TimeSpan limit, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await read(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FilterTimeoutException(
                $"the filter took longer than the {limit.TotalSeconds:0.###} s a request may spend on it (Filters:MaxEvaluationTime) and was stopped; nothing was changed: narrow the filter or retry later");
        }
    }
}
