using Vectord.Storage.Tests;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Vectord.Grains.Hosting;
using Vectord.Grains.Replicas;
using Vectord.Storage;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>
/// A reader of a replicated index refreshes what it knows of the index in the background: a search never waits for
/// the manifest's storage, which after a node loss may be busy serving a part's load.
/// </summary>
public sealed class ReaderShapeTests
{
    private const int Dimension = 8;

    [Fact]
    public async Task A_search_answers_while_the_manifest_read_is_held_once_the_shape_is_known()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("vectord-reader-shape");
        TestCluster? cluster = null;
        try
        {
            cluster = await VectordCluster.StartAsync<ManifestHoldingConfigurator>(new Dictionary<string, string>
            {
                ["Storage:Provider"] = "file",
                ["Storage:Path"] = directory.Path,
            }, silos: 2);
            var name = TestData.Name("shape");
            var index = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await index.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Shards: 2, Replicas: 2));
            await index.AddAsync(TestData.Items(40, Dimension, seed: 1));
            var reader = cluster.GrainFactory.GetGrain<IIndexReaderGrain>(IndexReaders.Key(name, 0));
            SearchQuery[] query = [new SearchQuery(new float[Dimension], 3)];
            await Eventually.ReadAsync(() => reader.SearchBatchAsync(query, ct), hits => hits[0].Length == 3, TimeSpan.FromSeconds(30), ct);

            // Past the time a shape is kept, with every manifest read held: the search still answers.
            await Task.Delay(IndexReaderGrain.Fresh + TimeSpan.FromSeconds(1), ct);
            var held = ManifestHoldingStore.Hold(name);
            try
            {
                var clock = Stopwatch.StartNew();
                var hits = await reader.SearchBatchAsync(query, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
                Assert.Equal(3, hits[0].Length);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the search took {clock.Elapsed.TotalSeconds:F1} s");
                // The refresh did reach storage, and is waiting there.
                await held.WaitAsync(TimeSpan.FromSeconds(10), ct);
            }
            finally
            {
                ManifestHoldingStore.Release();
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }

    /// <summary>Puts the <see cref="ManifestHoldingStore"/> in front of the silo's store.</summary>
    public sealed class ManifestHoldingConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddKeyedSingleton<IIndexBlobStore>(VectordStorageOptions.ProviderName, (sp, _) =>
                new ManifestHoldingStore(VectordSiloBuilderExtensions.CreateStore(sp.GetRequiredService<IOptions<VectordStorageOptions>>().Value)));
    }

    /// <summary>The file store, except that reads of documents of one chosen index wait until released. The silos of a
    /// test cluster run in the test's process, so the test holds and releases through static state; only this
    /// class's own cluster uses it.</summary>
    private sealed class ManifestHoldingStore(IIndexBlobStore inner) : DelegatingStore(inner)
    {
        private static readonly object s_sync = new();
        private static string? s_heldIndex;
        private static TaskCompletionSource s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private static TaskCompletionSource s_release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Holds the next document reads naming <paramref name="index"/>; the task completes once one is held.</summary>
        public static Task Hold(string index)
        {
            lock (s_sync)
            {
                s_heldIndex = index;
                s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
                s_release = new(TaskCreationOptions.RunContinuationsAsynchronously);
                return s_reached.Task;
            }
        }

        /// <summary>Lets every held read through and holds no more.</summary>
        public static void Release()
        {
            lock (s_sync)
            {
                s_heldIndex = null;
                s_release.TrySetResult();
            }
        }

        public override async Task<VersionedDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken = default)
        {
            Task? wait = null;
            lock (s_sync)
            {
                if (s_heldIndex is { } index && key.Contains(index, StringComparison.Ordinal))
                {
                    s_reached.TrySetResult();
                    wait = s_release.Task;
                }
            }
            if (wait is not null) { await wait.WaitAsync(cancellationToken); }
            return await base.ReadDocumentAsync(key, cancellationToken);
        }
    }
}
