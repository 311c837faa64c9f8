namespace Vectord.GatewayHost;

/// <summary>
/// Keeps the standalone gateway trying to reach its cluster (every 2 s) instead of giving up: the gateway serves
/// <c>/health</c> with 503 until a silo answers, and starts serving once one does.
/// </summary>
internal sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(2);
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        int attempt = Interlocked.Increment(ref _attempts);
        LogRetrying(logger, attempt, exception.Message);
        try
        {
            await Task.Delay(s_delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is not reachable (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetrying(ILogger logger, int attempt, string reason);
}
