using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>A product: every data type the filters handle, a string key, a 3-dimensional vector.</summary>
public sealed class Product
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData]
    public string Category { get; set; } = "";

    [VectorStoreData(StorageName = "price")]
    public double Price { get; set; }

    [VectorStoreData]
    public int Stock { get; set; }

    [VectorStoreData]
    public long Sold { get; set; }

    [VectorStoreData]
    public bool InSale { get; set; }

    [VectorStoreData]
    public string? Brand { get; set; }

    [VectorStoreData]
    public float Rating { get; set; }

    [VectorStoreData]
    public string[] Tags { get; set; } = [];

    [VectorStoreData]
    public List<int> Sizes { get; set; } = [];

    [VectorStoreData]
    public DateTime Day { get; set; }

    [VectorStoreData]
    public DateTimeOffset Added { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}

/// <summary>Builds product records deterministically.</summary>
public static class Products
{
    private static readonly string[] Categories = ["sandal", "sneaker", "boot", "shirt"];
    private static readonly string[] AllTags = ["red", "blue", "summer", "winter", "sale"];

    /// <summary><paramref name="count"/> products with varied fields, some brands null.</summary>
    public static List<Product> Make(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Product
        {
            Id = $"p{i:D3}",
            Category = Categories[i % Categories.Length],
            Price = 5 + (i * 7 % 50) + (i % 3) * 0.25,
            Stock = i % 7,
            Sold = 1000L * i,
            InSale = i % 3 == 0,
            Brand = i % 5 == 0 ? null : $"brand{i % 4}",
            Rating = 1.1f * (i % 5),
            Tags = [.. AllTags.Where((_, t) => (i + t) % 3 == 0)],
            Sizes = [.. Enumerable.Range(36, 1 + i % 4)],
            Day = new DateTime(2026, 1, 1 + (i % 5), 0, 0, 0, DateTimeKind.Utc),
            Added = new DateTimeOffset(2026, 2, 1 + (i % 4), 12, 30, 0, TimeSpan.FromHours(i % 2 == 0 ? 0 : 2)),
            Embedding = new[] { 1f + i % 4, 1f + i % 7, 1f + i % 5 },
        })];
}
