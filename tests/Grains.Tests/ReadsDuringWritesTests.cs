using Vectord.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Vectord.Grains.Hosting;
using Vectord.Storage;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>
/// Reads never wait for writes: while an add is held in storage (its log record not yet written), searches, item
/// gets, listings and info on the same index are answered, from the state before the add; once storage lets the
/// add through, it is acknowledged and every later read sees it. Neither reads nor writes wait for a snapshot: while
/// one is held in storage, adds are acknowledged and searched. Unsharded and sharded.
/// </summary>
public sealed class ReadsDuringWritesTests : IAsyncLifetime
{
    private readonly Testing.TempDirectory _directory = new("vectord-reads");
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await VectordCluster.StartAsync<HoldingStoreConfigurator>(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "file",
            ["Storage:Path"] = _directory.Path,
            ["Storage:SnapshotMinLogBytes"] = "4096",
        });

    public async ValueTask DisposeAsync()
    {
        HoldingStore.Release();
        await VectordCluster.StopAsync(_cluster);
        _directory.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Reads_are_answered_while_an_add_waits_for_storage(int shards)
    {
        var ct = TestContext.Current.CancellationToken;
        var name = TestData.Name($"held{shards}");
        var index = _cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
        await index.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: shards));
        var before = TestData.Items(60, 4, seed: 3);
        await index.AddAsync(before);

        var held = HoldingStore.Hold(name, "/wal/");
        var later = TestData.Items(30, 4, seed: 4, prefix: "later-");
        var add = index.AddAsync(later);
        await held.WaitAsync(TimeSpan.FromSeconds(20), ct);   // the add is inside storage now, and stays there
        Assert.False(add.IsCompleted);

        var deadline = TimeSpan.FromSeconds(5);
        var hits = await index.SearchAsync(before[7].Vector, 3).WaitAsync(deadline, ct);
        Assert.Equal(before[7].Id, hits[0].Id);
        Assert.Equal(before[9].Vector, (await index.GetItemAsync(before[9].Id).WaitAsync(deadline, ct))!.Vector);
        Assert.Equal(60, (await index.ListItemsAsync(limit: 1000).WaitAsync(deadline, ct)).Items.Length);
        Assert.Equal(60, (await index.GetInfoAsync().WaitAsync(deadline, ct)).Length);
        Assert.False(add.IsCompleted);

        HoldingStore.Release();
        Assert.Equal(new AddResult(30, 90), await add.WaitAsync(TimeSpan.FromSeconds(20), ct));
        Assert.Equal(later[5].Id, (await index.SearchAsync(later[5].Vector, 1))[0].Id);
        Assert.Equal(90, (await index.GetInfoAsync()).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Writes_and_reads_go_on_while_a_snapshot_is_written(int shards)
    {
        var ct = TestContext.Current.CancellationToken;
        var name = TestData.Name($"snapheld{shards}");
        var index = _cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
        await index.CreateAsync(new IndexSpec(4, Distance: IndexDistance.Euclidean, Shards: shards));

        // Adds until the log is due a snapshot, whose writing storage then holds.
        var held = HoldingStore.Hold(name, "/snap/");
        var batches = 0;
        for (; !held.IsCompleted && batches < 200; batches++) { await index.AddAsync(TestData.Items(50, 4, seed: batches, prefix: $"b{batches}-")); }
        Assert.True(held.IsCompleted, $"no snapshot was started after {batches} batches");

        var deadline = TimeSpan.FromSeconds(5);
        var later = TestData.Items(50, 4, seed: 999, prefix: "later-");
        Assert.Equal(new AddResult(50, (batches * 50) + 50), await index.AddAsync(later).WaitAsync(deadline, ct));
        Assert.Equal(later[3].Id, (await index.SearchAsync(later[3].Vector, 1).WaitAsync(deadline, ct))[0].Id);
        Assert.Equal((batches * 50) + 50, (await index.GetInfoAsync().WaitAsync(deadline, ct)).Length);
        Assert.Empty(await SnapshotsAsync(name));

        HoldingStore.Release();
        // The held snapshot lands once storage lets it through.
        Assert.NotEmpty(await Eventually.ReadAsync(() => SnapshotsAsync(name), s => s.Count > 0, TimeSpan.FromSeconds(20), ct));
    }

    private async Task<List<string>> SnapshotsAsync(string index) =>
        [.. (await new FileIndexBlobStore(_directory.Path).ListAsync(StorageKeys.IndexPrefix(index))).Select(o => o.Key).Where(k => k.Contains("/snap/", StringComparison.Ordinal))];

    /// <summary>Puts the <see cref="HoldingStore"/> in front of the silo's store.</summary>
    public sealed class HoldingStoreConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddKeyedSingleton<IIndexBlobStore>(VectordStorageOptions.ProviderName, (sp, _) =>
                new HoldingStore(VectordSiloBuilderExtensions.CreateStore(sp.GetRequiredService<IOptions<VectordStorageOptions>>().Value)));
    }

    /// <summary>The file store, except that the log or snapshot writes of one chosen index wait until released. The silos of a
    /// test cluster run in the test's process, so the test holds and releases through static state; only this
    /// class's own cluster uses it.</summary>
    private sealed class HoldingStore(IIndexBlobStore inner) : DelegatingStore(inner)
    {
        private static readonly object s_sync = new();
        private static string? s_heldIndex;
        private static string s_heldKind = "";
        private static TaskCompletionSource s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private static TaskCompletionSource s_release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Holds the next writes of <paramref name="index"/> whose keys contain <paramref name="kind"/>
        /// (<c>/wal/</c> or <c>/snap/</c>); the task completes once one is held.</summary>
        public static Task Hold(string index, string kind)
        {
            lock (s_sync)
            {
                s_heldIndex = index;
                s_heldKind = kind;
                s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
                s_release = new(TaskCreationOptions.RunContinuationsAsynchronously);
                return s_reached.Task;
            }
        }

        /// <summary>Lets every held write through and holds no more.</summary>
        public static void Release()
        {
            lock (s_sync)
            {
                s_heldIndex = null;
                s_release.TrySetResult();
            }
        }

        private static Task Gate(string key)
        {
            lock (s_sync)
            {
                if (s_heldIndex is null || !key.StartsWith(StorageKeys.IndexPrefix(s_heldIndex), StringComparison.Ordinal) || !key.Contains(s_heldKind, StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }
                s_reached.TrySetResult();
                return s_release.Task;
            }
        }

        public override async Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            await Gate(key);
            return await base.TryCreateAsync(key, content, cancellationToken);
        }

        public override async Task<long?> TryCreateAsync(string key, Action<Stream> write, CancellationToken cancellationToken = default)
        {
            await Gate(key);
            return await base.TryCreateAsync(key, write, cancellationToken);
        }
    }
}
