using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Vectord.Grains.Hosting;

/// <summary>
/// Once the silo is active, lists the catalog and activates every index (a few at a time) so the first query
/// does not pay for loading it. Runs in the background; failures are logged, never fatal.
/// </summary>
public sealed partial class IndexPreloader(
    IGrainFactory grains,
    IOptions<VectordStorageOptions> options,
    ILogger<IndexPreloader> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource<int> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of indexes loaded once the start-up pass has finished.</summary>
    public Task<int> Completion => completion.Task;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(IndexPreloader), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);
    }

    /// <inheritdoc/>
    public void Dispose() => stopping.Dispose();

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.PreloadIndexes)
        {
            completion.TrySetResult(0);
            return Task.CompletedTask;
        }
        _ = Task.Run(() => PreloadAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping anyway
        }
    }

    private async Task PreloadAsync(CancellationToken cancellationToken)
    {
        var loaded = 0;
        try
        {
            var names = await grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync().ConfigureAwait(false);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.PreloadParallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(names, parallel, async (name, _) =>
            {
                try
                {
                    await grains.GetGrain<IVectorIndexGrain>(name).GetInfoAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref loaded);
                }
                catch (VectordException e)
                {
                    LogIndexFailed(name, e.Message);
                }
            }).ConfigureAwait(false);
            LogDone(loaded, names.Length);
        }
        catch (OperationCanceledException)
        {
            // silo stopping
        }
        catch (Exception e) when (e is VectordException or OrleansException or TimeoutException)
        {
            LogCatalogFailed(e.Message);
        }
        finally
        {
            completion.TrySetResult(loaded);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up: {Loaded} of {Total} indexes loaded")]
    private partial void LogDone(int loaded, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up: index {Name} could not be loaded: {Reason}")]
    private partial void LogIndexFailed(string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up: the catalog could not be read: {Reason}")]
    private partial void LogCatalogFailed(string reason);
}
