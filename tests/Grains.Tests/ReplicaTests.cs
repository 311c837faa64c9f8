using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Vectord.Grains.Hosting;
using Vectord.Grains.Replicas;
using Vectord.Grains.Shards;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>Replicated indexes on a 3-silo test cluster over one file store: where the copies are placed, that they
/// agree item by item after writes, deletes and deletes by filter, that a search sees its own write when it asks the
/// primaries, and that killing a silo which holds a primary costs no search and no acknowledged write.</summary>
public sealed class ReplicaTests
{
    private const int Dimension = 8;

    private static async Task<(TestCluster Cluster, TempDirectory Directory)> StartAsync()
    {
        var directory = new TempDirectory("vectord-replicas");
        try
        {
            var cluster = await VectordCluster.StartWithOneGatewayAsync(new Dictionary<string, string>
            {
                ["Storage:Provider"] = "file",
                ["Storage:Path"] = directory.Path,
                ["Replication:HedgeAfter"] = "00:00:00.300",
            }, silos: 3);
            return (cluster, directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The index's incarnation, as its manifest records it.</summary>
    private static async Task<ShardContext[]> ContextsAsync(TestCluster cluster, string name)
    {
        var storage = cluster.GetSiloServiceProvider(cluster.Primary!.SiloAddress).GetRequiredKeyedService<IGrainStorage>(VectordStorageOptions.ProviderName);
        var manifest = new ManifestReader();
        await storage.ReadStateAsync("manifest", cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).GetGrainId(), manifest);
        var spec = manifest.State.Spec!;
        return [.. Enumerable.Range(0, spec.Shards).Select(s => new ShardContext(name, manifest.State.Generation, spec, s))];
    }

    /// <summary>Every item of one copy, with its vector and metadata, in id order.</summary>
    private static async Task<List<IndexItem>> CopyItemsAsync(IGrainFactory grains, ShardContext context, int replica)
    {
        var items = new List<IndexItem>();
        string? after = null;
        do
        {
            var query = new ItemQuery(null, IndexLimits.MaxPage, after, IncludeVectors: true);
            var page = replica == 0
                ? await grains.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard)).QueryItemsAsync(context, query)
                : await ReadyAsync(() => grains.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, replica)).QueryItemsAsync(context, query));
            items.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        return items;
    }

    /// <summary>What <paramref name="read"/> returns once a copy it reaches is ready; a copy still loading refuses
    /// with <see cref="CopyNotReadyException"/>, which fails the test after 60 s.</summary>
    private static async Task<T> ReadyAsync<T>(Func<Task<T>> read)
    {
        var (ready, value) = await Eventually.ReadAsync(async () =>
        {
            try { return (Ready: true, Value: await read()); }
            catch (CopyNotReadyException) { return (Ready: false, Value: default(T)!); }
        }, r => r.Ready, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return ready ? value : await read();
    }

    /// <summary>Waits until every copy of every shard has followed its primary's log to the end, then compares the
    /// copies item by item.</summary>
    private static async Task AssertCopiesAgreeAsync(TestCluster cluster, string name, int replicas)
    {
        var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
        var shards = await Eventually.ReadAsync(grain.GetShardsAsync,
            copies => copies.All(c => c.Ready && c.Silo is not null) && copies.GroupBy(c => c.Shard).All(g => g.Select(c => c.LogPosition).Distinct().Count() == 1),
            TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.All(shards, c => Assert.True(c.Ready, $"copy {c.Replica} of shard {c.Shard} is not ready"));
        // Each copy holds one set of the part's vectors and graph: a replica takes what its primary takes, give or take
        // the spare room a growing index keeps.
        foreach (var shard in shards.GroupBy(c => c.Shard))
        {
            var primaryBytes = shard.Single(c => c.Role == CopyRole.Primary).MemoryBytes;
            Assert.True(primaryBytes > 0, $"shard {shard.Key}'s primary reports no memory");
            Assert.All(shard.Where(c => c.Role == CopyRole.Replica), c => Assert.InRange(c.MemoryBytes, primaryBytes / 2, primaryBytes * 3 / 2));
        }
        foreach (var context in await ContextsAsync(cluster, name))
        {
            var primary = await CopyItemsAsync(cluster.GrainFactory, context, 0);
            for (var r = 1; r < replicas; r++)
            {
                var replica = await CopyItemsAsync(cluster.GrainFactory, context, r);
                Assert.Equal(primary.Select(i => i.Id), replica.Select(i => i.Id));
                for (var i = 0; i < primary.Count; i++)
                {
                    Assert.Equal(primary[i].Vector, replica[i].Vector);
                    Assert.Equal(primary[i].Metadata, replica[i].Metadata);
                    Assert.Equal(primary[i].Vectors?.OrderBy(v => v.Key, StringComparer.Ordinal), replica[i].Vectors?.OrderBy(v => v.Key, StringComparer.Ordinal));
                }
            }
        }
    }

    [Fact]
    public async Task Copies_sit_on_distinct_silos_and_agree_item_by_item_after_writes_deletes_and_deletes_by_filter()
    {
        var (cluster, directory) = await StartAsync();
        try
        {
            var name = TestData.Name("replicated");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            var info = await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Shards: 2, Replicas: 3,
                TextFields: [new IndexTextField("body")]));
            Assert.Equal(3, info.Replicas);

            for (var b = 0; b < 6; b++)
            {
                await grain.AddAsync(TestData.Items(50, Dimension, seed: b, prefix: $"b{b}-",
                    metadata: i => $"{{\"n\":{i},\"odd\":{(i % 2 == 1 ? "true" : "false")},\"body\":\"{TestData.Words((b * 50) + i)}\"}}"));
            }
            await grain.DeleteAsync([.. Enumerable.Range(0, 20).Select(i => $"b0-{i}")]);
            var deleted = await grain.DeleteWhereAsync(new ItemFilter(Must: [new MatchCondition("odd", true)]), TestContext.Current.CancellationToken);
            Assert.True(deleted.Deleted > 0);

            var copies = await grain.GetShardsAsync();
            Assert.Equal(6, copies.Length);
            foreach (var shard in copies.GroupBy(c => c.Shard))
            {
                Assert.Equal([CopyRole.Primary, CopyRole.Replica, CopyRole.Replica], shard.Select(c => c.Role));
                Assert.Equal(3, shard.Select(c => c.Silo).Distinct().Count());
            }
            await AssertCopiesAgreeAsync(cluster, name, replicas: 3);
            await AssertCopiesSearchAlikeAsync(cluster, name, replicas: 3);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    [Fact]
    public async Task Text_fields_added_later_reach_every_copy_and_a_reader_that_knew_the_index_without_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var (cluster, directory) = await StartAsync();
        try
        {
            var name = TestData.Name("late-text");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Shards: 2, Replicas: 3));
            for (var b = 0; b < 3; b++)
            {
                await grain.AddAsync(TestData.Items(50, Dimension, seed: b, prefix: $"b{b}-",
                    metadata: i => $"{{\"n\":{i},\"body\":\"{TestData.Words((b * 50) + i)}\"}}"));
            }
            // A reader of this silo learns the index as it is now, without text fields, and holds that for a while.
            var reader = cluster.GrainFactory.GetGrain<IIndexReaderGrain>(IndexReaders.Key(name, 0));
            SearchQuery[] nearest = [new SearchQuery(new float[Dimension], 3)];
            await Eventually.ReadAsync(() => reader.SearchBatchAsync(nearest, ct), hits => hits[0].Length == 3, TimeSpan.FromSeconds(30), ct);
            SearchQuery[] words = [new SearchQuery([], K: 10, Text: new TextQuery("fox river"))];
            await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => reader.SearchBatchAsync(words, ct));

            var info = await grain.AddTextFieldsAsync([new IndexTextField("body")]);
            Assert.Equal([new IndexTextField("body")], info.TextFields!);
            // The reader reads the index anew for the field its shape does not know. Any copy may answer (one may lack
            // the last write yet); asked for the primaries, it answers as the index grain does.
            var anyCopy = (await reader.SearchBatchAsync(words, ct))[0];
            Assert.Equal(10, anyCopy.Length);
            Assert.All(anyCopy, h => Assert.True(h.Score > 0));
            SearchQuery primaries = words[0] with { Consistency = ReadConsistency.Primary };
            Assert.Equal((await grain.SearchAsync(primaries, ct)).Select(h => h.Id), (await reader.SearchBatchAsync([primaries], ct))[0].Select(h => h.Id));

            // Later writes are indexed by every copy, which all answer as their primary does.
            await grain.AddAsync(TestData.Items(50, Dimension, seed: 7, prefix: "late-",
                metadata: i => $"{{\"n\":{i},\"body\":\"{TestData.Words(i + 7)}\"}}"));
            await AssertCopiesAgreeAsync(cluster, name, replicas: 3);
            await AssertCopiesSearchAlikeAsync(cluster, name, replicas: 3);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    /// <summary>Every copy of every shard answers keyword, hybrid and <c>match.text</c> searches as its primary does.</summary>
    private static async Task AssertCopiesSearchAlikeAsync(TestCluster cluster, string name, int replicas)
    {
        var ct = TestContext.Current.CancellationToken;
        var vector = TestData.Vectors(1, Dimension, seed: 99)[0];
        SearchQuery[] queries =
        [
            new([], K: 20, Text: new TextQuery("fox river")),
            new([], K: 20, Text: new TextQuery("stone"), Filter: ItemFilter.All(Where.Range("n", lt: 25))),
            new(vector, K: 20, Filter: ItemFilter.All(Where.MatchText("body", "red dog"))),
        ];
        foreach (var context in await ContextsAsync(cluster, name))
        {
            var primary = await cluster.GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard)).SearchAsync(context, queries, ct);
            Assert.All(primary, hits => Assert.NotEmpty(hits));
            for (var r = 1; r < replicas; r++)
            {
                var copy = cluster.GrainFactory.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, r));
                var answers = await ReadyAsync(() => copy.SearchAsync(context, queries, ct));
                for (var q = 0; q < queries.Length; q++) { Assert.Equal(primary[q], answers[q]); }
            }
        }
        var hybrid = await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).SearchAsync(new SearchQuery(vector, K: 10, Text: new TextQuery("fox river")), ct);
        Assert.Equal(10, hybrid.Length);
        Assert.All(hybrid, h => Assert.True(h.Score > 0));
    }

    [Fact]
    public async Task Copies_of_an_index_with_named_vectors_agree_and_answer_a_search_by_each_vector_as_their_primary()
    {
        var ct = TestContext.Current.CancellationToken;
        var (cluster, directory) = await StartAsync();
        try
        {
            var name = TestData.Name("replicated-named");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(0, Shards: 2, Replicas: 3,
                Vectors: [new NamedVector("left", Dimension, IndexDistance.Euclidean), new NamedVector("right", 4, IndexDistance.Cosine)]));
            var rights = TestData.Vectors(150, 4, seed: 5);
            for (var b = 0; b < 3; b++)
            {
                var lefts = TestData.Items(50, Dimension, seed: b, prefix: $"b{b}-");
                await grain.AddAsync([.. lefts.Select((item, i) => new IndexItem(item.Id, [], $$"""{"n":{{i}}}""",
                    new() { ["left"] = item.Vector, ["right"] = rights[(b * 50) + i] }))]);
            }
            await grain.DeleteAsync([.. Enumerable.Range(0, 10).Select(i => $"b1-{i}")]);
            await AssertCopiesAgreeAsync(cluster, name, replicas: 3);

            SearchQuery[] queries =
            [
                new(TestData.Vectors(1, Dimension, seed: 98)[0], K: 20, Using: "left"),
                new(TestData.Vectors(1, 4, seed: 99)[0], K: 20, Using: "right"),
                new(TestData.Vectors(1, 4, seed: 97)[0], K: 20, Using: "right", Filter: ItemFilter.All(Where.Range("n", lt: 25))),
            ];
            foreach (var context in await ContextsAsync(cluster, name))
            {
                var primary = await cluster.GrainFactory.GetGrain<IVectorShardGrain>(ShardContext.Key(context.Index, context.Shard)).SearchAsync(context, queries, ct);
                Assert.All(primary, hits => Assert.NotEmpty(hits));
                for (var r = 1; r < 3; r++)
                {
                    var copy = cluster.GrainFactory.GetGrain<IVectorReplicaGrain>(CopyKeys.Key(context.Index, context.Shard, r));
                    var answers = await ReadyAsync(() => copy.SearchAsync(context, queries, ct));
                    for (var q = 0; q < queries.Length; q++) { Assert.Equal(primary[q], answers[q]); }
                }
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    [Fact]
    public async Task A_search_that_asks_the_primaries_sees_its_own_write_and_more_copies_than_silos_are_refused()
    {
        var (cluster, directory) = await StartAsync();
        try
        {
            var tooMany = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(TestData.Name("too-many"));
            var refused = await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => tooMany.CreateAsync(new IndexSpec(Dimension, Replicas: 4)));
            Assert.Contains("at most the cluster's 3 active silo", refused.Message, StringComparison.Ordinal);

            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(TestData.Name("own-writes"));
            await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Replicas: 2));
            var vectors = TestData.Vectors(40, Dimension, seed: 3);
            for (var i = 0; i < vectors.Length; i++)
            {
                await grain.AddAsync([new IndexItem($"own-{i}", vectors[i])]);
                var hits = await grain.SearchAsync(new SearchQuery(vectors[i], 1, Consistency: ReadConsistency.Primary), TestContext.Current.CancellationToken);
                Assert.Equal($"own-{i}", Assert.Single(hits).Id);
            }
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    [Fact]
    public async Task A_silo_shutting_down_hands_its_primaries_to_their_replicas_before_any_write_asks()
    {
        var ct = TestContext.Current.CancellationToken;
        var (cluster, directory) = await StartAsync();
        try
        {
            var name = TestData.Name("handoff");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Shards: 3, Replicas: 2));
            for (var b = 0; b < 5; b++) { await grain.AddAsync(TestData.Items(100, Dimension, seed: 300 + b, prefix: $"b{b}-")); }
            var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
            var indexSilo = await management.GetActivationAddress(grain, ct);
            var copies = await AssertCopiesReadyAsync(grain);
            var leaving = cluster.SecondarySilos.First(s => !s.SiloAddress.Equals(indexSilo)
                && copies.Any(c => c.Role == CopyRole.Primary && c.Silo == s.SiloAddress.Endpoint.ToString()));
            var (shard, heir) = HeirOf(cluster, copies, leaving);
            var before = Promotions(cluster, heir);

            await cluster.StopSiloAsync(leaving, ct);

            // Nothing is asked of the index meanwhile: the leaving primary had its replica activate it again.
            var promotions = await Eventually.ReadAsync(() => Task.FromResult(Promotions(cluster, heir)), n => n > before, TimeSpan.FromSeconds(30), ct);
            Assert.True(promotions > before, "the primary did not take its replica's part over on the replica's silo");
            var placed = await grain.GetShardsAsync();
            Assert.Equal(heir.SiloAddress.Endpoint.ToString(), placed.Single(c => c.Shard == shard && c.Role == CopyRole.Primary).Silo);
            await grain.AddAsync(TestData.Items(100, Dimension, seed: 399, prefix: "after-"));
            Assert.Equal(600, (await grain.GetInfoAsync()).Length);
            await AssertCopiesAgreeAsync(cluster, name, replicas: 2);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    /// <summary>The copies of the index once every one is loaded.</summary>
    private static async Task<ShardInfo[]> AssertCopiesReadyAsync(IVectorIndexGrain grain)
    {
        var copies = await Eventually.ReadAsync(grain.GetShardsAsync, c => c.All(x => x.Ready), TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.All(copies, c => Assert.True(c.Ready, $"copy {c.Replica} of shard {c.Shard} is not ready"));
        return copies;
    }

    /// <summary>A shard whose primary is on <paramref name="silo"/>, and the silo of its replica.</summary>
    private static (int Shard, SiloHandle Heir) HeirOf(TestCluster cluster, ShardInfo[] copies, SiloHandle silo)
    {
        var lost = copies.First(c => c.Role == CopyRole.Primary && c.Silo == silo.SiloAddress.Endpoint.ToString());
        var heir = copies.Single(c => c.Shard == lost.Shard && c.Role == CopyRole.Replica).Silo;
        return (lost.Shard, cluster.Silos.Single(s => s.SiloAddress.Endpoint.ToString() == heir));
    }

    /// <summary>Primaries that took a replica's part over on <paramref name="silo"/>.</summary>
    private static long Promotions(TestCluster cluster, SiloHandle silo) =>
        cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<Diagnostics.IndexMetrics>().PromotionsTotal;

    [Fact]
    public async Task Killing_a_silo_that_holds_a_primary_fails_no_search_loses_no_acknowledged_write_and_copies_agree_after_deletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (cluster, directory) = await StartAsync();
        try
        {
            var name = TestData.Name("failover");
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(Dimension, Distance: IndexDistance.Euclidean, Shards: 3, Replicas: 2));
            var acknowledged = new Dictionary<string, float[]>();
            for (var b = 0; b < 10; b++)
            {
                var items = TestData.Items(100, Dimension, seed: 100 + b, prefix: $"before-{b}-", metadata: _ => $"{{\"batch\":{b}}}");
                await grain.AddAsync(items);
                foreach (var item in items) { acknowledged[item.Id] = item.Vector; }
            }

            // The victim holds a primary, and neither the index grain nor the client's gateway.
            var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
            var indexSilo = await management.GetActivationAddress(grain, ct);
            var copies = await grain.GetShardsAsync();
            var victim = cluster.SecondarySilos.First(s => !s.SiloAddress.Equals(indexSilo)
                && copies.Any(c => c.Role == CopyRole.Primary && c.Silo == s.SiloAddress.Endpoint.ToString()));
            var (lostShard, heir) = HeirOf(cluster, copies, victim);
            var promotionsBefore = Promotions(cluster, heir);

            var queries = TestData.Vectors(50, Dimension, seed: 9);
            var searches = 0;
            var failures = new List<string>();
            using var stop = new CancellationTokenSource();
            var searcher = Task.Run(async () =>
            {
                for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var hits = await grain.SearchAsync(new SearchQuery(queries[i % queries.Length], 10));
                        if (hits.Length != 10) { lock (failures) { failures.Add($"{hits.Length} hits"); } }
                        Interlocked.Increment(ref searches);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        lock (failures) { failures.Add($"{e.GetType().Name}: {e.Message}"); }
                    }
                    await Task.Delay(10, CancellationToken.None);
                }
            }, ct);
            await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref searches)), n => n >= 20, TimeSpan.FromSeconds(60), ct);
            await cluster.KillSiloAsync(victim, ct);
            var atKill = Volatile.Read(ref searches);

            // Writes are accepted again once the primary is re-activated on a surviving silo.
            var after = TestData.Items(100, Dimension, seed: 999, prefix: "after-");
            var written = await Eventually.ReadAsync(async () =>
            {
                try
                {
                    await grain.AddAsync(after);
                    return true;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return false;
                }
            }, ok => ok, TimeSpan.FromSeconds(90), ct);
            Assert.True(written, "writes were not accepted again after the kill");
            foreach (var item in after) { acknowledged[item.Id] = item.Vector; }
            // Deletes by id and by filter after the kill reach every copy, the promoted primary's replica included.
            string[] gone = [.. Enumerable.Range(0, 30).Select(i => $"before-0-{i:D4}")];
            await grain.DeleteAsync(gone);
            foreach (var id in gone) { acknowledged.Remove(id); }
            var byFilter = await grain.DeleteWhereAsync(new ItemFilter(Must: [new MatchCondition("batch", 1)]), ct);
            Assert.Equal(100, byFilter.Deleted);
            foreach (var id in acknowledged.Keys.Where(id => id.StartsWith("before-1-", StringComparison.Ordinal)).ToList()) { acknowledged.Remove(id); }
            await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref searches)), n => n >= atKill + 50, TimeSpan.FromSeconds(60), ct);
            await stop.CancelAsync();
            await searcher.WaitAsync(TimeSpan.FromSeconds(60), ct);

            Assert.Empty(failures);
            Assert.True(Volatile.Read(ref searches) >= atKill + 50, "searches did not go on after the kill");
            Assert.Equal(acknowledged.Count, (await grain.GetInfoAsync()).Length);
            foreach (var (id, vector) in acknowledged)
            {
                var stored = await grain.GetItemAsync(id);
                Assert.True(stored is not null, $"acknowledged item {id} is missing");
                Assert.Equal(vector, stored!.Vector);
            }
            await AssertCopiesAgreeAsync(cluster, name, replicas: 2);
            var placed = await grain.GetShardsAsync();
            Assert.All(placed.GroupBy(c => c.Shard), shard => Assert.True(shard.Select(c => c.Silo).Distinct().Count() == 2,
                $"copies of shard {shard.Key} share a silo: {string.Join(", ", placed.Select(c => $"{c.Shard}/{c.Replica} {c.Role} on {c.Silo}"))}"));
            // The lost primary came back where its replica was, and took the replica's part over instead of loading it.
            Assert.Equal(heir.SiloAddress.Endpoint.ToString(), placed.Single(c => c.Shard == lostShard && c.Role == CopyRole.Primary).Silo);
            Assert.True(Promotions(cluster, heir) > promotionsBefore, "the new primary loaded from storage instead of taking over its replica's part");
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
            directory.Dispose();
        }
    }

    private sealed class ManifestReader : IGrainState<IndexManifest>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public IndexManifest State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }
}
