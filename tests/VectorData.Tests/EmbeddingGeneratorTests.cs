using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>A deterministic embedding generator: a text's vector counts its letters a–g, plus one (never zero).</summary>
public sealed class LetterCountGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Dimension of the vectors.</summary>
    public const int Dimension = 8;

    /// <summary>Texts embedded so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            Calls++;
            var vector = new float[Dimension];
            vector[Dimension - 1] = 1;
            foreach (char c in text.ToLowerInvariant())
            {
                if (c is >= 'a' and <= 'g') { vector[c - 'a']++; }
            }
            embeddings.Add(new Embedding<float>(vector));
        }
        return Task.FromResult(embeddings);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

/// <summary>A note whose vector is generated from its text.</summary>
public sealed class Note
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData]
    public string Text { get; set; } = "";

    [VectorStoreVector(LetterCountGenerator.Dimension)]
    public string Embedding => Text;
}

/// <summary>Mirrors the conformance suite's embedding generation tests: a store-level generator embeds string vector
/// properties on upsert and string searches; vectors cannot be read back from such a property; a search with a value
/// that is neither a vector nor embeddable is refused.</summary>
public sealed class EmbeddingGeneratorTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task A_generator_embeds_records_and_searches(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var generator = new LetterCountGenerator();
        using var store = node.NewStore(transport, new VectordVectorStoreOptions { EmbeddingGenerator = generator });
        var collection = store.GetCollection<int, Note>(Node.NewName("embed"));
        await collection.EnsureCollectionExistsAsync(ct);
        await collection.UpsertAsync([new() { Id = 1, Text = "aaaa" }, new() { Id = 2, Text = "bbbb cc" }, new() { Id = 3, Text = "gggg" }], ct);
        Assert.Equal(3, generator.Calls);

        var nearest = await collection.SearchAsync("GGGG", 1, cancellationToken: ct).SingleAsync(ct);
        Assert.Equal((3, "gggg"), (nearest.Record.Id, nearest.Record.Text));
        Assert.Equal(1.0, nearest.Score!.Value, 5);

        // What was stored is the generated vector (normalised under cosine).
        var stored = await node.Grains.GetGrain<IVectorIndexGrain>(collection.Name).GetItemAsync("1");
        Assert.True(stored!.Vector[0] > 0.9f);

        await Assert.ThrowsAsync<NotSupportedException>(() => collection.GetAsync(1, new() { IncludeVectors = true }, ct));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task A_search_value_that_is_not_a_vector_needs_a_generator(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<string, Doc>(Node.NewName("nogen"), Doc.Definition(DistanceFunction.CosineSimilarity));
        await collection.EnsureCollectionExistsAsync(ct);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync("text", 1, cancellationToken: ct).ToListAsync(ct));
    }
}
