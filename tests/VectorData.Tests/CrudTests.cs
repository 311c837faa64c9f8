using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>Mirrors the conformance suite's record CRUD tests: get one/many with and without vectors, upsert as
/// insert and as replace, delete one/many, missing keys, get by filter with top and Skip.</summary>
public sealed class CrudTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public async Task Upsert_then_get_returns_the_record_and_vectors_only_when_asked(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        var product = Products.Make(3)[1];
        await collection.UpsertAsync(product, ct);

        var read = await collection.GetAsync(product.Id, cancellationToken: ct);
        Assert.NotNull(read);
        Assert.Equal((product.Category, product.Price, product.Stock, product.Sold, product.InSale, product.Brand, product.Rating),
            (read.Category, read.Price, read.Stock, read.Sold, read.InSale, read.Brand, read.Rating));
        Assert.Equal(product.Tags, read.Tags);
        Assert.Equal(product.Sizes, read.Sizes);
        Assert.True(read.Embedding.IsEmpty);

        var withVector = await collection.GetAsync(product.Id, new() { IncludeVectors = true }, ct);
        // Cosine indexes store unit vectors: the vector read back is the record's, normalised.
        var expected = Normalise(product.Embedding.ToArray());
        Assert.Equal(expected, withVector!.Embedding.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Upsert_replaces_an_existing_record(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        var product = Products.Make(1)[0];
        await collection.UpsertAsync(product, ct);
        product.Category = "replaced";
        product.Brand = "other";
        await collection.UpsertAsync(product, ct);

        var read = await collection.GetAsync(product.Id, cancellationToken: ct);
        Assert.Equal(("replaced", "other"), (read!.Category, read.Brand));
        Assert.Equal(1, (await node.Grains.GetAsync(collection.Name)).Length);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Get_many_returns_the_records_that_exist_and_skips_missing_keys(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        var products = Products.Make(10);
        await collection.UpsertAsync(products, ct);

        var read = await collection.GetAsync(["p002", "p005", "missing", "p009"], cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(["p002", "p005", "p009"], read.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Null(await collection.GetAsync("missing", cancellationToken: ct));
        Assert.Empty(await collection.GetAsync([], cancellationToken: ct).ToListAsync(ct));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Delete_one_and_many_and_missing_keys(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        await collection.UpsertAsync(Products.Make(6), ct);

        await collection.DeleteAsync("p000", ct);
        await collection.DeleteAsync(["p001", "p002", "missing"], ct);
        await collection.DeleteAsync("missing", ct);

        var left = await collection.GetAsync(r => true, 100, cancellationToken: ct).Select(p => p.Id).ToListAsync(ct);
        Assert.Equal(["p003", "p004", "p005"], left);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Upserting_an_empty_batch_does_nothing(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        await collection.UpsertAsync([], ct);
        Assert.Equal(0, (await node.Grains.GetAsync(collection.Name)).Length);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Get_by_filter_pages_in_key_order_or_by_properties_with_top_and_skip(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await NewCollectionAsync(transport);
        var products = Products.Make(40);
        await collection.UpsertAsync(products, ct);

        var expected = products.Where(p => p.Stock > 2).Select(p => p.Id).Order(StringComparer.Ordinal).Skip(4).Take(7);
        var read = await collection.GetAsync(p => p.Stock > 2, 7, new() { Skip = 4 }, ct).Select(p => p.Id).ToListAsync(ct);
        Assert.Equal(expected, read);

        var withVectors = await collection.GetAsync(p => p.Stock > 2, 2, new() { IncludeVectors = true }, ct).ToListAsync(ct);
        Assert.All(withVectors, p => Assert.Equal(3, p.Embedding.Length));

        // Ordered by a data property (stored as "price"), then by a second one, paged with Skip.
        var byPrice = products.OrderByDescending(p => p.Price).ThenBy(p => p.Stock).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id).ToList();
        var ordered = await collection.GetAsync(p => true, 5, new() { OrderBy = o => o.Descending(p => p.Price).Ascending(p => p.Stock) }, ct)
            .Select(p => p.Id).ToListAsync(ct);
        Assert.Equal(byPrice.Take(5), ordered);
        var later = await collection.GetAsync(p => p.Stock > 2, 6, new() { Skip = 3, OrderBy = o => o.Descending(p => p.Price).Ascending(p => p.Stock) }, ct)
            .Select(p => p.Id).ToListAsync(ct);
        Assert.Equal(byPrice.Where(id => products.Single(p => p.Id == id).Stock > 2).Skip(3).Take(6), later);
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.GetAsync(p => true, 5, new() { OrderBy = o => o.Ascending(p => p.Id) }, ct).ToListAsync(ct));
    }

    private async Task<VectordCollection<string, Product>> NewCollectionAsync(Transport transport)
    {
        var collection = node.Store(transport).GetCollection<string, Product>(Node.NewName("crud"));
        await collection.EnsureCollectionExistsAsync(TestContext.Current.CancellationToken);
        return collection;
    }

    private static float[] Normalise(float[] vector)
    {
        float norm = MathF.Sqrt(vector.Sum(x => x * x));
        return [.. vector.Select(x => x / norm)];
    }
}
