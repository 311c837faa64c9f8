using Microsoft.Extensions.VectorData;

namespace Vectord.Samples.FashionSearch;

/// <summary>One fashion-mnist image as a record: its 28×28 pixels are the vector, its category and a price the data
/// the search filters on.</summary>
internal sealed class Garment
{
    /// <summary>The ten fashion-mnist categories, by label.</summary>
    public static readonly string[] Categories =
        ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(StorageName = "category")]
    public string Category { get; set; } = "";

    [VectorStoreData(StorageName = "price")]
    public double Price { get; set; }

    [VectorStoreVector(28 * 28, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public float[] Pixels { get; set; } = [];

    /// <summary>The garment of image <paramref name="id"/>. Fashion-mnist has no prices: each image gets one from
    /// its number, 9.99 to 98.99.</summary>
    public static Garment From(int id, byte[] pixels, byte label) => new()
    {
        Id = id,
        Category = Categories[label],
        Price = 9.99 + id * 37 % 90,
        Pixels = [.. pixels.Select(p => (float)p)],
    };
}
