using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>An article with two vectors: one given, one generated from its text.</summary>
public sealed class Article
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance, StorageName = "place")]
    public ReadOnlyMemory<float> Place { get; set; }

    [VectorStoreVector(LetterCountGenerator.Dimension)]
    public string Letters => Text;
}

/// <summary>Records with several vector properties are items of an index with named vectors (named by the properties'
/// storage names): each vector, given or generated, is stored and searched by the property a search names, in plain
/// and hybrid searches, and read back by name.</summary>
public sealed class MultiVectorTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task Each_vector_property_is_its_own_named_vector(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var generator = new LetterCountGenerator();
        using var store = node.NewStore(transport, new VectordVectorStoreOptions { EmbeddingGenerator = generator });
        var collection = store.GetCollection<string, Article>(Node.NewName("articles"));
        await collection.EnsureCollectionExistsAsync(ct);
        var info = await node.Grains.GetGrain<IVectorIndexGrain>(collection.Name).GetInfoAsync();
        Assert.Equal(["place", "Letters"], info.Vectors!.Select(v => v.Name));
        Assert.Equal((2, IndexDistance.Euclidean), (info.Vectors![0].Dimension, info.Vectors[0].Distance));

        await collection.UpsertAsync([
            new() { Id = "a", Text = "aaaa fox", Place = new([0, 0]) },
            new() { Id = "b", Text = "gggg fox", Place = new([10, 0]) },
            new() { Id = "c", Text = "cccc owl", Place = new([1, 0]) },
        ], ct);
        Assert.Equal(3, generator.Calls);

        var near = await collection.SearchAsync(new ReadOnlyMemory<float>([9, 0]), 1, new() { VectorProperty = r => r.Place }, ct).SingleAsync(ct);
        Assert.Equal("b", near.Record.Id);
        var letters = await collection.SearchAsync("CCCC", 1, new() { VectorProperty = r => r.Letters }, ct).SingleAsync(ct);
        Assert.Equal("c", letters.Record.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await collection.SearchAsync(new ReadOnlyMemory<float>([9, 0]), 1, cancellationToken: ct).ToListAsync(ct));

        var hybrid = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([0.5f, 0]), ["fox"], 3,
            new() { VectorProperty = r => r.Place }, ct).ToListAsync(ct);
        Assert.Equal("a", hybrid[0].Record.Id);   // nearest and a fox

        var stored = await node.Grains.GetGrain<IVectorIndexGrain>(collection.Name).GetItemAsync("b");
        Assert.Equal([10f, 0f], stored!.Vectors!["place"]);
        Assert.Equal(LetterCountGenerator.Dimension, stored.Vectors["Letters"].Length);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Given_vectors_read_back_by_property(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = node.NewStore(transport);
        var collection = store.GetCollection<string, Twin>(Node.NewName("twins"));
        await collection.EnsureCollectionExistsAsync(ct);
        await collection.UpsertAsync(new Twin { Id = "t", Left = new([1, 2]), Right = new([3, 4, 5]) }, ct);
        var read = await collection.GetAsync("t", new() { IncludeVectors = true }, ct);
        Assert.Equal([1f, 2f], read!.Left.ToArray());
        Assert.Equal([3f, 4f, 5f], read.Right.ToArray());
        var bare = await collection.GetAsync("t", cancellationToken: ct);
        Assert.True(bare!.Left.IsEmpty && bare.Right.IsEmpty);
    }
}

/// <summary>A record with two given vectors, under euclidean distance (stored as given).</summary>
public sealed class Twin
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public ReadOnlyMemory<float> Left { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public ReadOnlyMemory<float> Right { get; set; }
}
