using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectord.Grains.Hosting;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>A <c>Storage</c> section that cannot work stops the silo at start-up with a message naming the key.</summary>
public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("Storage:SnapshotLogRatio", "0", "Storage:SnapshotLogRatio must be a positive number, not 0")]
    [InlineData("Storage:IdleMinutes", "-1", "Storage:IdleMinutes must be more than 1 (minutes), not -1")]
    [InlineData("Storage:IdleMinutes", "1", "Storage:IdleMinutes must be more than 1 (minutes), not 1")]
    [InlineData("Storage:PreloadParallelism", "0", "Storage:PreloadParallelism must be at least 1, not 0")]
    [InlineData("Storage:CatalogRefreshSeconds", "0", "Storage:CatalogRefreshSeconds must be a positive number, not 0")]
    [InlineData("Storage:Provider", "s3", "Storage:Provider must be 'file' or 'azureblob', not 's3'")]
    [InlineData("Storage:SnapshotMinLogBytes", "-5", "Storage:SnapshotMinLogBytes must not be negative, not -5")]
    public async Task Nonsense_stops_the_silo_at_start_up(string key, string value, string message)
    {
        using var directory = new TempDirectory("vectord-options");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = directory.Path, [key] = value });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: "options", clusterId: Guid.NewGuid().ToString("N"));
            silo.AddVectord(builder.Configuration);
        });
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(message, error.Failures);
    }

    [Fact]
    public async Task Sensible_settings_start()
    {
        using var directory = new TempDirectory("vectord-options");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = directory.Path,
            ["Storage:SnapshotLogRatio"] = "0.5",
            ["Storage:IdleMinutes"] = "2",
            ["Storage:PreloadIndexes"] = "false",
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: "options", clusterId: Guid.NewGuid().ToString("N"));
            silo.AddVectord(builder.Configuration);
        });
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IVectorIndexGrain>("opts");
            Assert.Equal(2, (await grain.CreateAsync(new IndexSpec(2, Shards: 2))).Shards);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
