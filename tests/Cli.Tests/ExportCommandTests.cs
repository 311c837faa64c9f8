using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary><c>vectord export</c>, and the round trip export → import.</summary>
public sealed class ExportCommandTests(NodeFixture node) : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-cli-export");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(IndexDistance.Euclidean, 1)]
    [InlineData(IndexDistance.Cosine, 3)]
    public async Task Export_then_import_reproduces_the_index(IndexDistance distance, int shards)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = "exp-" + Guid.NewGuid().ToString("N")[..12];
        var copy = source + "-copy";
        await node.Client.CreateIndexAsync(source, new IndexSpec(4, Distance: distance, Shards: shards), ct);
        var random = new Random(7);
        IndexItem[] items = [.. Enumerable.Range(0, 2500).Select(i => new IndexItem(
            $"item-{i}",
            [.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() + 0.01f)],
            (i % 3) switch { 0 => null, 1 => $$"""{"n":{{i}},"tags":["a","b"],"s":"x\"y"}""", _ => "null" }))];
        await node.Client.AddAsync(source, items, ct);
        var file = _dir.Combine("export.jsonl");

        var exported = await node.RunAsync("export", "--index", source, "--out", file, "--vectors");
        var imported = await node.RunAsync("import", file, "--index", copy, "--create", "--distance", distance.ToString().ToLowerInvariant(),
            "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(exported.Exit == ExitCodes.Success, exported.ToString());
        Assert.Contains("exported 2,500 items", exported.Output, StringComparison.Ordinal);
        Assert.True(imported.Exit == ExitCodes.Success, imported.ToString());
        var original = await node.Client.QueryAllItemsAsync(source, includeVectors: true, cancellationToken: ct).ToArrayAsync(ct);
        var reproduced = await node.Client.QueryAllItemsAsync(copy, includeVectors: true, cancellationToken: ct).ToArrayAsync(ct);
        Assert.Equal(original.Length, reproduced.Length);
        for (var i = 0; i < original.Length; i++)
        {
            Assert.Equal(original[i].Id, reproduced[i].Id);
            Assert.Equal(original[i].Metadata, reproduced[i].Metadata);
            // Cosine normalises on insert: a stored unit vector is normalised again, within float rounding.
            Assert.Equal(original[i].Vector, reproduced[i].Vector, (a, b) => Math.Abs(a - b) <= 1e-6f);
        }
        var query = new SearchQuery(items[0].Vector, K: 10);
        Assert.Equal((await node.Client.SearchAsync(source, query, ct)).Select(h => h.Id), (await node.Client.SearchAsync(copy, query, ct)).Select(h => h.Id));
    }

    [Fact]
    public async Task Export_without_vectors_writes_ids_and_metadata_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "exp-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(2), ct);
        await node.Client.AddAsync(index, [new IndexItem("b", [1, 0], """{"x":1}"""), new IndexItem("a", [0, 1])], ct);
        var file = _dir.Combine("ids.jsonl");

        var run = await node.RunAsync("export", "--index", index, "--out", file);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Equal(["""{"id":"a"}""", """{"id":"b","metadata":{"x":1}}"""], File.ReadAllLines(file));
    }

    [Fact]
    public async Task Export_of_a_missing_index_fails_with_the_service_detail()
    {
        var run = await node.RunAsync("export", "--index", "no-such-index-" + Guid.NewGuid().ToString("N")[..8], "--out", _dir.Combine("x.jsonl"));

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("error:", run.Output, StringComparison.Ordinal);
        Assert.Contains("not found", run.Output, StringComparison.OrdinalIgnoreCase);
    }
}
