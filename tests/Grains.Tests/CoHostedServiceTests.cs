using Microsoft.Extensions.DependencyInjection;

namespace Vectord.Grains.Tests;

/// <summary>A service hosted in the silo process calls the index grains directly.</summary>
[Collection(FileCluster.Name)]
public sealed class CoHostedServiceTests(FileClusterFixture fixture)
{
    [Fact]
    public async Task A_hosted_service_in_the_silo_creates_and_queries_an_index_through_the_grain_factory()
    {
        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var service = fixture.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<CoHostedCatalogService>();
            await service.Ready.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal("red", await service.NearestLabelAsync([0.9f, 0.2f, 0.1f]));
            Assert.Equal("blue", await service.NearestLabelAsync([0.1f, 0.3f, 0.8f]));
        }

        // What the service wrote is ordinary index data, visible to every client of the cluster.
        var index = fixture.Grains.GetGrain<IVectorIndexGrain>(CoHostedCatalogService.IndexName);
        Assert.Equal(3, (await index.GetInfoAsync()).Length);
        Assert.Equal("""{"hex":"#00ff00"}""", (await index.GetItemAsync("green"))!.Metadata);
        Assert.Contains(CoHostedCatalogService.IndexName, await fixture.Grains.GetGrain<IIndexCatalogGrain>(0).ListNamesAsync());
    }
}
