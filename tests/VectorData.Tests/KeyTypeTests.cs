using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>A record keyed by <typeparamref name="TKey"/>.</summary>
public sealed class Keyed<TKey>
{
    [VectorStoreKey]
    public TKey Key { get; set; } = default!;

    [VectorStoreData]
    public string Name { get; set; } = "";

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public float[] Vector { get; set; } = [];
}

/// <summary>Mirrors the conformance suite's key type tests: each supported key type round-trips through upsert, get,
/// search, filter and delete, and is stored as the documented item id.</summary>
public sealed class KeyTypeTests(Node node)
{
    [Theory, ClassData(typeof(BothTransports))]
    public Task String_keys(Transport transport) => RoundTripAsync(transport, ["k-1", "ключ", "a b"], k => k);

    [Theory, ClassData(typeof(BothTransports))]
    public Task Guid_keys(Transport transport)
    {
        Guid[] keys = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        return RoundTripAsync(transport, keys, k => k.ToString("D"));
    }

    [Theory, ClassData(typeof(BothTransports))]
    public Task Int_keys(Transport transport) => RoundTripAsync(transport, [-42, 0, int.MaxValue], k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory, ClassData(typeof(BothTransports))]
    public Task Long_keys(Transport transport) =>
        RoundTripAsync(transport, [1L << 40, -7L, long.MinValue], k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory, ClassData(typeof(BothTransports))]
    public void Other_key_types_are_refused(Transport transport) =>
        Assert.Throws<NotSupportedException>(() => node.Store(transport).GetCollection<ulong, Keyed<ulong>>(Node.NewName("ulong")));

    private async Task RoundTripAsync<TKey>(Transport transport, TKey[] keys, Func<TKey, string> id)
        where TKey : notnull
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = node.Store(transport).GetCollection<TKey, Keyed<TKey>>(Node.NewName("keys"));
        await collection.EnsureCollectionExistsAsync(ct);
        var records = keys.Select((k, i) => new Keyed<TKey> { Key = k, Name = $"n{i}", Vector = [i, 0] }).ToArray();
        await collection.UpsertAsync(records, ct);

        // Stored under the documented id.
        var index = node.Grains.GetGrain<IVectorIndexGrain>(collection.Name);
        foreach (var record in records)
        {
            Assert.Equal(record.Vector, (await index.GetItemAsync(id(record.Key)))!.Vector);
        }

        Assert.Equal("n1", (await collection.GetAsync(keys[1], cancellationToken: ct))!.Name);
        var nearest = await collection.SearchAsync(new[] { 2f, 0f }, 1, cancellationToken: ct).SingleAsync(ct);
        Assert.Equal(keys[2], nearest.Record.Key);
        TKey[] wanted = [keys[0], keys[2]];
        Assert.Equal(["n0", "n2"], await collection.GetAsync(r => wanted.Contains(r.Key), 5, cancellationToken: ct)
            .Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync(ct));

        await collection.DeleteAsync(keys[0], ct);
        Assert.Null(await collection.GetAsync(keys[0], cancellationToken: ct));
        Assert.Equal(2, (await index.GetInfoAsync()).Length);
    }
}
