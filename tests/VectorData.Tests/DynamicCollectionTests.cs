using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>Mirrors the conformance suite's dynamic-mapping tests: records as <c>Dictionary&lt;string, object?&gt;</c>
/// shaped by a definition, through upsert, get, search, filters over the indexer and delete; and the dictionary
/// type is refused by the typed <c>GetCollection</c>.</summary>
public sealed class DynamicCollectionTests(Node node)
{
    private static readonly VectorStoreCollectionDefinition Definition = new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(string)),
            new VectorStoreDataProperty("Category", typeof(string)),
            new VectorStoreDataProperty("Stock", typeof(int)) { StorageName = "stock" },
            new VectorStoreDataProperty("Tags", typeof(string[])),
            new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 3),
        ],
    };

    [Theory, ClassData(typeof(BothTransports))]
    public async Task Dynamic_records_round_trip_and_filter(Transport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetDynamicCollection(Node.NewName("dynamic"), Definition);
        await collection.EnsureCollectionExistsAsync(ct);
        var records = Products.Make(20).Select(p => new Dictionary<string, object?>
        {
            ["Key"] = p.Id,
            ["Category"] = p.Category,
            ["Stock"] = p.Stock,
            ["Tags"] = p.Tags,
            ["Vector"] = p.Embedding,
        }).ToList();
        await collection.UpsertAsync(records, ct);

        var read = await collection.GetAsync("p003", new() { IncludeVectors = true }, ct);
        Assert.NotNull(read);
        Assert.Equal(("p003", records[3]["Category"], records[3]["Stock"]), (read["Key"], read["Category"], read["Stock"]));
        Assert.Equal((string[])records[3]["Tags"]!, (string[])read["Tags"]!);
        Assert.Equal(3, ((ReadOnlyMemory<float>)read["Vector"]!).Length);

        // Stored under the storage name.
        var item = await node.Grains.GetGrain<IVectorIndexGrain>(collection.Name).GetItemAsync("p003");
        Assert.Contains("\"stock\":", item!.Metadata!.ToString(), StringComparison.Ordinal);

        System.Linq.Expressions.Expression<Func<Dictionary<string, object?>, bool>> filter =
            r => (string?)r["Category"] == "boot" || (int)r["Stock"]! > 4;
        var expected = records.Where(filter.Compile()).Select(r => (string)r["Key"]!).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(expected.Count, 1, records.Count - 1);
        var searched = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 1, 1]), records.Count, new() { Filter = filter }, ct)
            .Select(r => (string)r.Record["Key"]!).ToListAsync(ct);
        Assert.Equal(expected, searched.Order(StringComparer.Ordinal));

        await collection.DeleteAsync(["p003", "p004"], ct);
        Assert.Null(await collection.GetAsync("p003", cancellationToken: ct));
        Assert.Equal(18, (await node.Grains.GetAsync(collection.Name)).Length);
    }

    [Theory, ClassData(typeof(BothTransports))]
    public void A_dictionary_record_needs_the_dynamic_collection(Transport transport) =>
        Assert.Throws<ArgumentException>(() => node.Store(transport).GetCollection<object, Dictionary<string, object?>>(Node.NewName("dict"), Definition));
}
