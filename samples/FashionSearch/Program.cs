// Semantic search over fashion-mnist through Microsoft.Extensions.VectorData: "items like this one, only sandals
// under a price". Start the service first (dotnet run --project src/Silo), then run this; see README.md.
using Vectord.Samples.FashionSearch;
using Vectord.VectorData;

var settings = Settings.Parse(args);
var data = settings["data"];
int count = int.Parse(settings["count"], System.Globalization.CultureInfo.InvariantCulture);
int query = int.Parse(settings["query"], System.Globalization.CultureInfo.InvariantCulture);
string category = settings["category"];
double maxPrice = double.Parse(settings["max-price"], System.Globalization.CultureInfo.InvariantCulture);

using var store = new VectordVectorStore(new Uri(settings["endpoint"]), settings.GetValueOrDefault("api-key"));
var garments = store.GetCollection<int, Garment>("fashion-mnist");
await garments.EnsureCollectionExistsAsync();

var images = Idx.Read(Path.Combine(data, "train-images-idx3-ubyte.gz"), count);
var labels = Idx.Read(Path.Combine(data, "train-labels-idx1-ubyte.gz"), count);
await garments.UpsertAsync(images.Select((pixels, i) => Garment.From(i, pixels, labels[i][0])));
Console.WriteLine($"{images.Length} garments in the collection '{garments.Name}'");

// The query is an image of the test set, which the collection does not hold.
var probe = Garment.From(-1,
    Idx.Read(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), query + 1)[query],
    Idx.Read(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"), query + 1)[query][0]);
Console.WriteLine($"query: test image {query}, a {probe.Category}");

Console.WriteLine("items like this one:");
await foreach (var hit in garments.SearchAsync(probe.Pixels, 5))
{
    Console.WriteLine($"  #{hit.Record.Id,-6} {hit.Record.Category,-10} {hit.Record.Price,6:0.00}  distance {hit.Score:0}");
}

Console.WriteLine($"only {category} under {maxPrice:0.00}:");
await foreach (var hit in garments.SearchAsync(probe.Pixels, 5, new() { Filter = g => g.Category == category && g.Price < maxPrice }))
{
    Console.WriteLine($"  #{hit.Record.Id,-6} {hit.Record.Category,-10} {hit.Record.Price,6:0.00}  distance {hit.Score:0}");
}
