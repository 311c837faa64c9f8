using Microsoft.Extensions.Hosting;

namespace Vectord.Grains.Tests;

/// <summary>
/// How a .NET service hosted in the same process as a silo uses Vectord: it takes <see cref="IGrainFactory"/> from
/// dependency injection and calls the index grains directly, with no HTTP hop. At start-up it makes sure a small
/// index of colour labels exists; afterwards it answers "which label is nearest" for in-process callers.
/// </summary>
public sealed class CoHostedCatalogService(IGrainFactory grains) : BackgroundService
{
    /// <summary>The index this service owns.</summary>
    public const string IndexName = "cohosted-colours";

    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the index exists with its labels.</summary>
    public Task Ready => ready.Task;

    /// <summary>The label nearest to an RGB colour.</summary>
    public async Task<string> NearestLabelAsync(float[] rgb)
    {
        await Ready;
        var hits = await grains.GetGrain<IVectorIndexGrain>(IndexName).SearchAsync(rgb, k: 1);
        return hits[0].Id;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var index = grains.GetGrain<IVectorIndexGrain>(IndexName);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                try
                {
                    await index.CreateAsync(new IndexSpec(3, Distance: IndexDistance.Euclidean));
                }
                catch (IndexAlreadyExistsException)
                {
                    // another silo (or an earlier start) created it
                }
                await index.AddAsync(
                [
                    new IndexItem("red", [1, 0, 0], """{"hex":"#ff0000"}"""),
                    new IndexItem("green", [0, 1, 0], """{"hex":"#00ff00"}"""),
                    new IndexItem("blue", [0, 0, 1], """{"hex":"#0000ff"}"""),
                ]);
                ready.TrySetResult();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                // the cluster is still starting (or storage is briefly unavailable): try again shortly
                await Task.Delay(250, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ready.TrySetException(e);
                return;
            }
        }
        ready.TrySetCanceled(stoppingToken);
    }
}
