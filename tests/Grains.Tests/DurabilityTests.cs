using Orleans.TestingHost;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>A silo dies while writes are in flight: every acknowledged write survives.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_writes_survive_a_silo_killed_mid_write()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new Testing.TempDirectory("vectord-kill");
        var cluster = await VectordCluster.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = directory.Path,
        }, quickClientTimeout: true);
        try
        {
            var name = TestData.Name("kill");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(16, Distance: IndexDistance.Euclidean));
            var victim = cluster.SecondarySilos[0];
            var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
            if (!victim.SiloAddress.Equals(await management.GetActivationAddress(grain, ct)))
            {
                await cluster.MigrateAsync(grain, victim.SiloAddress).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            Assert.Equal(victim.SiloAddress, await management.GetActivationAddress(grain, ct));

            // Three writers add small batches until told to stop; each records what was acknowledged.
            var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, float[]>();
            var failures = 0;
            using var stop = new CancellationTokenSource();
            async Task WriterAsync(int writer)
            {
                for (var batch = 0; batch < 400 && !stop.IsCancellationRequested; batch++)
                {
                    var items = TestData.Items(4, 16, seed: (writer * 1000) + batch, prefix: $"w{writer}-b{batch:D3}-");
                    try
                    {
                        await grain.AddAsync(items);
                        foreach (var item in items) { acknowledged[item.Id] = item.Vector; }
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Interlocked.Increment(ref failures);   // in flight when the silo died: outcome unknown
                        await Task.Delay(100, CancellationToken.None);
                    }
                }
            }
            var writers = Enumerable.Range(0, 3).Select(WriterAsync).ToArray();

            Assert.True(await Eventually.HoldsAsync(() => acknowledged.Count >= 200, TimeSpan.FromSeconds(20), ct), "the writers did not get going");
            await cluster.KillSiloAsync(victim, ct);
            var killedAt = acknowledged.Count;

            // Keep writing for a moment after the kill (the grain re-activates on the surviving silo), then stop.
            // Generous: a call in flight to the dead silo may wait for its response timeout before the writer retries.
            var resumed = await Eventually.HoldsAsync(() => acknowledged.Count >= killedAt + 100, TimeSpan.FromSeconds(60), ct);
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(90), ct);
            Assert.True(resumed, $"writes did not resume after the kill ({acknowledged.Count - killedAt} since)");

            await cluster.DeactivateAsync(grain);
            Assert.Equal(cluster.Primary!.SiloAddress, Assert.Single(cluster.GetActiveSilos()).SiloAddress);
            var info = await grain.GetInfoAsync();
            Assert.True(info.Length >= acknowledged.Count, $"{info.Length} items stored, {acknowledged.Count} acknowledged");
            foreach (var (id, vector) in acknowledged)
            {
                var stored = await grain.GetItemAsync(id);
                Assert.True(stored is not null, $"acknowledged item {id} is missing");
                Assert.Equal(vector, stored!.Vector);
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }
}
