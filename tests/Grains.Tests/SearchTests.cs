namespace Vectord.Grains.Tests;

/// <summary>Search under each distance, k and ef handling, and the search errors.</summary>
[Collection(FileCluster.Name)]
public sealed class SearchTests(FileClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    [Theory]
    [InlineData(IndexDistance.Cosine)]
    [InlineData(IndexDistance.Euclidean)]
    [InlineData(IndexDistance.Dot)]
    public async Task Search_returns_the_exact_nearest_items_with_the_contract_distances(IndexDistance distance)
    {
        const int dimension = 12;
        var grain = Index(TestData.Name("search"));
        await grain.CreateAsync(new IndexSpec(dimension, Distance: distance));
        var items = TestData.Items(200, dimension, seed: 11, metadata: i => $"{{\"i\":{i}}}");
        await grain.AddAsync(items);

        foreach (var query in TestData.Vectors(5, dimension, seed: 99))
        {
            var expected = items
                .Select(item => (item.Id, Distance: TestData.Distance(distance, query, item.Vector), item.Metadata))
                .OrderBy(x => x.Distance).Take(10).ToArray();
            // A beam as large as the index makes the search exhaustive over the graph: exact under the metric
            // distances. Inner product is not a metric and HNSW may not reach every item, so dot needs only high recall.
            var hits = await grain.SearchAsync(query, k: 10, ef: 400);
            Assert.Equal(10, hits.Length);
            var found = hits.Count(h => expected.Any(e => e.Id == h.Id));
            Assert.True(distance == IndexDistance.Dot ? found >= 9 : found == 10,
                $"expected {string.Join(", ", expected.Select(e => $"{e.Id}:{e.Distance:F5}"))}\nactual   {string.Join(", ", hits.Select(h => $"{h.Id}:{h.Distance:F5}"))}");
            foreach (var hit in hits)
            {
                var item = items.Single(i => i.Id == hit.Id);
                Assert.Equal(TestData.Distance(distance, query, item.Vector), hit.Distance, 1e-4);
                Assert.Equal(item.Metadata, hit.Metadata);
            }
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
        }
    }

    [Fact]
    public async Task K_is_clamped_and_at_most_the_length_is_returned()
    {
        var grain = Index(TestData.Name("clamp"));
        await grain.CreateAsync(new IndexSpec(2, M: 8, Distance: IndexDistance.Euclidean));
        var items = TestData.Items(1100, 2, seed: 3);
        await grain.AddAsync(items);
        var query = new float[] { 0.1f, -0.2f };

        Assert.Equal(10, (await grain.SearchAsync(query, k: 0)).Length);
        Assert.Equal(10, (await grain.SearchAsync(query, k: -5)).Length);
        Assert.Equal(7, (await grain.SearchAsync(query, k: 7)).Length);
        var many = await grain.SearchAsync(query, k: 5000, ef: 1100);
        Assert.Equal(1000, many.Length);
        Assert.Equal(1000, many.Select(h => h.Id).Distinct().Count());

        var small = Index(TestData.Name("clamp"));
        await small.CreateAsync(new IndexSpec(2, Distance: IndexDistance.Euclidean));
        await small.AddAsync(items[..3]);
        Assert.Equal(3, (await small.SearchAsync(query, k: 10)).Length);
    }

    [Fact]
    public async Task Ef_is_at_least_k_and_a_bigger_ef_never_finds_worse_results()
    {
        var grain = Index(TestData.Name("ef"));
        await grain.CreateAsync(new IndexSpec(16, M: 4, EfSearch: 1, Distance: IndexDistance.Euclidean));
        var items = TestData.Items(600, 16, seed: 21);
        await grain.AddAsync(items);
        var query = TestData.Vectors(1, 16, seed: 77)[0];
        var exact = items.Select(i => (i.Id, D: TestData.Distance(IndexDistance.Euclidean, query, i.Vector))).OrderBy(x => x.D).Take(50).ToArray();

        // ef_search 1 and ef 1 would find one result; the beam is raised to k.
        Assert.Equal(50, (await grain.SearchAsync(query, k: 50)).Length);
        Assert.Equal(50, (await grain.SearchAsync(query, k: 50, ef: 1)).Length);
        var wide = await grain.SearchAsync(query, k: 50, ef: 10_000_000);
        Assert.Equal(exact.Select(e => e.Id), wide.Select(h => h.Id));
        var narrow = await grain.SearchAsync(query, k: 50, ef: 50);
        Assert.True(narrow.Sum(h => h.Distance) >= wide.Sum(h => h.Distance) - 1e-3);
    }

    [Fact]
    public async Task Empty_index_returns_nothing()
    {
        var grain = Index(TestData.Name("empty"));
        await grain.CreateAsync(new IndexSpec(3));
        Assert.Empty(await grain.SearchAsync([1, 2, 3]));
        await grain.AddAsync([new IndexItem("only", [1, 2, 3])]);
        await grain.DeleteAsync(["only"]);
        Assert.Empty(await grain.SearchAsync([1, 2, 3], k: 5));
    }

    [Fact]
    public async Task Bad_queries_are_rejected()
    {
        var grain = Index(TestData.Name("badq"));
        await grain.CreateAsync(new IndexSpec(3));
        await grain.AddAsync([new IndexItem("a", [1, 2, 3])]);
        Assert.Equal("vector: dim mismatch (index=3, got=2)", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([1, 2]))).Message);
        Assert.Equal("vector: dim mismatch (index=3, got=0)", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([]))).Message);
        Assert.Equal("vector: non-finite component at 1", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([1, float.NaN, 3]))).Message);
        Assert.Equal("vector: non-finite component at 2", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([1, 2, float.NegativeInfinity]))).Message);
        Assert.Equal("vector: zero vector under cosine distance", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => grain.SearchAsync([0, 0, 0]))).Message);
    }

    [Fact]
    public async Task Concurrent_searches_overlap()
    {
        // Searches are read-only turns that run off the grain's scheduler: many at once all finish, with results
        // equal to the same searches run one by one.
        var grain = Index(TestData.Name("parallel"));
        await grain.CreateAsync(new IndexSpec(32, Distance: IndexDistance.Euclidean));
        await grain.AddAsync(TestData.Items(1000, 32, seed: 8));
        var queries = TestData.Vectors(16, 32, seed: 9);
        var sequential = new List<string[]>();
        foreach (var q in queries) { sequential.Add([.. (await grain.SearchAsync(q, k: 5, ef: 100)).Select(h => h.Id)]); }
        var parallel = await Task.WhenAll(queries.Select(q => grain.SearchAsync(q, k: 5, ef: 100)));
        Assert.Equal(sequential, parallel.Select(hits => hits.Select(h => h.Id).ToArray()));
    }
}
