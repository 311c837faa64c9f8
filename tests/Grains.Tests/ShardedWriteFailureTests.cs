using Vectord.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Vectord.Grains.Hosting;
using Vectord.Grains.Shards;
using Vectord.Storage;

namespace Vectord.Grains.Tests;

/// <summary>A delete on a sharded index whose one shard's storage fails: the grain API's error names the shards
/// that applied their share, and the index holds exactly that, also after a reload from storage.</summary>
public sealed class ShardedWriteFailureTests : IAsyncLifetime
{
    private readonly Testing.TempDirectory _directory = new("vectord-shardfail");
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await VectordCluster.StartAsync<FailingStoreConfigurator>(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = _directory.Path,
        });

    public async ValueTask DisposeAsync()
    {
        FailingStore.Fail(null);
        await VectordCluster.StopAsync(_cluster);
        _directory.Dispose();
    }

    [Fact]
    public async Task A_delete_refused_by_one_shard_storage_names_the_shards_that_applied_it()
    {
        var name = TestData.Name("shardfail");
        var index = _cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
        await index.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: 3));
        var items = TestData.Items(30, 4, seed: 5);
        await index.AddAsync(items);
        string[] ids = [.. items.Select(i => i.Id)];
        Assert.All(Enumerable.Range(0, 3), s => Assert.Contains(ids, id => ShardRouting.ShardOf(id, 3) == s));

        FailingStore.Fail($"{StorageKeys.IndexPrefix(name)}", "/s01/wal/");
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => index.DeleteAsync(ids));
        FailingStore.Fail(null);

        Assert.Equal([0, 2], error.AppliedShards ?? []);
        string[] kept = [.. ids.Where(id => ShardRouting.ShardOf(id, 3) == 1)];
        Assert.Equal(kept.Length, (await index.GetInfoAsync()).Length);
        await VectordCluster.ReactivateAsync(_cluster, name);
        foreach (string id in ids)
        {
            Assert.Equal(kept.Contains(id), await index.GetItemAsync(id) is not null);
        }
    }

    /// <summary>Puts the <see cref="FailingStore"/> in front of the silo's store.</summary>
    public sealed class FailingStoreConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddKeyedSingleton<IIndexBlobStore>(VectordStorageOptions.ProviderName, (sp, _) =>
                new FailingStore(VectordSiloBuilderExtensions.CreateStore(sp.GetRequiredService<IOptions<VectordStorageOptions>>().Value)));
    }

    /// <summary>The file store, except that new objects under one prefix whose keys contain a chosen text fail
    /// as storage that is down (the error the real stores raise). The silos of a test cluster run in the test's process, so the test arms it through static
    /// state; only this class's own cluster uses it.</summary>
    private sealed class FailingStore(IIndexBlobStore inner) : DelegatingStore(inner)
    {
        private static volatile Failing? s_failing;

        /// <summary>Fails the writes of keys under <paramref name="prefix"/> that contain <paramref name="part"/>;
        /// a null prefix fails none.</summary>
        public static void Fail(string? prefix, string part = "") => s_failing = prefix is null ? null : new Failing(prefix, part);

        private static void ThrowIfFailing(string key)
        {
            if (s_failing is { } failing && key.StartsWith(failing.Prefix, StringComparison.Ordinal) && key.Contains(failing.Part, StringComparison.Ordinal))
            {
                throw new StorageUnavailableException($"storage unavailable: refused {key}");   // as the real stores say it
            }
        }

        public override Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(key);
            return base.TryCreateAsync(key, content, cancellationToken);
        }

        public override Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(key);
            return base.TryCreateAsync(key, write, cancellationToken);
        }

        private sealed record Failing(string Prefix, string Part);
    }
}
