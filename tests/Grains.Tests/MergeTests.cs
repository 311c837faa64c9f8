namespace Vectord.Grains.Tests;

/// <summary>Merging one index into another.</summary>
[Collection(FileCluster.Name)]
public sealed class MergeTests(FileClusterFixture fixture)
{
    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    private async Task<(IVectorIndexGrain Source, IVectorIndexGrain Dest)> PairAsync()
    {
        // A euclidean source may hold a zero vector, which the cosine destination must reject.
        var source = Index(TestData.Name("msrc"));
        var dest = Index(TestData.Name("mdst"));
        await source.CreateAsync(new IndexSpec(3, Distance: IndexDistance.Euclidean));
        await dest.CreateAsync(new IndexSpec(3));
        await source.AddAsync(
        [
            new IndexItem("a", [1, 0, 0], """{"from":"source"}"""),
            new IndexItem("b", [0, 1, 0], """{"from":"source"}"""),
            new IndexItem("c", [0, 0, 1]),
            new IndexItem("zero", [0, 0, 0]),
        ]);
        await dest.AddAsync([new IndexItem("b", [0, 0, -1], """{"from":"dest"}""")]);
        return (source, dest);
    }

    [Fact]
    public async Task Merge_copies_absent_items_skips_present_ones_and_counts_failures()
    {
        var (source, dest) = await PairAsync();
        var result = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: false);

        Assert.Equal((2, 1, 1, 3, 4), (result.Merged, result.SkippedAlreadyPresent, result.Failed, result.LengthDest, result.LengthSource));
        Assert.Equal("zero: zero vector under cosine distance", result.FirstError);
        var a = await dest.GetItemAsync("a");
        Assert.Equal(new float[] { 1f, 0, 0 }, a!.Vector);
        Assert.Equal("""{"from":"source"}""", a.Metadata);
        Assert.Null((await dest.GetItemAsync("c"))!.Metadata);
        var b = await dest.GetItemAsync("b");
        Assert.Equal(new float[] { 0f, 0, -1 }, b!.Vector);   // dest's own item is kept
        Assert.Equal("""{"from":"dest"}""", b.Metadata);
        Assert.Null(await dest.GetItemAsync("zero"));

        // Running it again is safe: everything valid is now present.
        var again = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: false);
        Assert.Equal(new MergeResult(0, 3, 1, 3, 4, "zero: zero vector under cosine distance"), again);

        // The merged items are durable in the destination.
        await VectordCluster.ReactivateAsync(fixture.Cluster, dest.GetPrimaryKeyString());
        Assert.Equal(3, (await dest.GetInfoAsync()).Length);
        Assert.Equal("""{"from":"source"}""", (await dest.GetItemAsync("a"))!.Metadata);
    }

    [Fact]
    public async Task Clear_source_removes_exactly_the_merged_and_skipped_items()
    {
        var (source, dest) = await PairAsync();
        var result = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true);
        Assert.Equal(new MergeResult(2, 1, 1, 3, 1, "zero: zero vector under cosine distance"), result);
        Assert.Equal(["zero"], (await source.ListItemsAsync()).Items.Select(i => i.Id));

        var again = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true);
        Assert.Equal(new MergeResult(0, 0, 1, 3, 1, "zero: zero vector under cosine distance"), again);

        await VectordCluster.ReactivateAsync(fixture.Cluster, source.GetPrimaryKeyString());
        Assert.Equal(["zero"], (await source.ListItemsAsync()).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Merge_of_many_items_spans_pages()
    {
        var source = Index(TestData.Name("mbig"));
        var dest = Index(TestData.Name("mbig"));
        await source.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await dest.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await source.AddAsync(TestData.Items(1200, 64, seed: 4));   // three export pages at this dimension
        var result = await source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true);
        Assert.Equal(new MergeResult(1200, 0, 0, 1200, 0, null), result);
        Assert.Equal(TestData.Vectors(1200, 64, seed: 4)[1199], (await dest.GetItemAsync("item-1199"))!.Vector);
    }

    [Fact]
    public async Task Merge_errors()
    {
        var (source, dest) = await PairAsync();
        var sourceName = source.GetPrimaryKeyString();
        Assert.Equal("dest must be set and differ from source", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => source.MergeIntoAsync("", false))).Message);
        Assert.Equal("dest must be set and differ from source", (await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => source.MergeIntoAsync(sourceName, true))).Message);
        Assert.Equal("dest not found", (await Assert.ThrowsAsync<IndexNotFoundException>(() => source.MergeIntoAsync(TestData.Name("nodest"), false))).Message);
        Assert.Equal("dest not found", (await Assert.ThrowsAsync<IndexNotFoundException>(() => source.MergeIntoAsync("../escape", false))).Message);
        Assert.Equal("source not found", (await Assert.ThrowsAsync<IndexNotFoundException>(() => Index(TestData.Name("nosrc")).MergeIntoAsync(dest.GetPrimaryKeyString(), false))).Message);

        var wide = Index(TestData.Name("mwide"));
        await wide.CreateAsync(new IndexSpec(4));
        await Assert.ThrowsAsync<InvalidIndexArgumentException>(() => source.MergeIntoAsync(wide.GetPrimaryKeyString(), true));

        // None of the failed merges changed anything.
        Assert.Equal(4, (await source.GetInfoAsync()).Length);
        Assert.Equal(1, (await dest.GetInfoAsync()).Length);
        Assert.Equal(0, (await wide.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task A_repeated_merge_from_one_source_waits_for_the_first_and_finds_its_work_done()
    {
        var source = Index(TestData.Name("mrepeat"));
        var dest = Index(TestData.Name("mrepeat"));
        await source.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await dest.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await source.AddAsync(TestData.Items(2000, 64, seed: 7));

        // As a client repeating a merge whose answer it did not get: both calls are in flight at once.
        var both = Task.WhenAll(
            source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true),
            source.MergeIntoAsync(dest.GetPrimaryKeyString(), clearSource: true));
        var results = await both.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        // One did the work; the other ran after it and found nothing left, rather than paging the same items again.
        Assert.Contains(new MergeResult(2000, 0, 0, 2000, 0, null), results);
        Assert.Contains(new MergeResult(0, 0, 0, 2000, 0, null), results);
    }

    [Fact]
    public async Task Two_opposite_merges_at_once_both_finish()
    {
        var left = Index(TestData.Name("mleft"));
        var right = Index(TestData.Name("mright"));
        await left.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await right.CreateAsync(new IndexSpec(64, Distance: IndexDistance.Euclidean));
        await left.AddAsync(TestData.Items(3000, 64, seed: 1, prefix: "l-"));
        await right.AddAsync(TestData.Items(3000, 64, seed: 2, prefix: "r-"));

        var both = Task.WhenAll(
            left.MergeIntoAsync(right.GetPrimaryKeyString(), clearSource: false),
            right.MergeIntoAsync(left.GetPrimaryKeyString(), clearSource: false));
        var results = await both.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.All(results, r => Assert.Equal(0, r.Failed));
        // Each merge copies at least its own 3000 items; it may also see some the other merge has just added.
        Assert.All(results, r => Assert.InRange(r.Merged + r.SkippedAlreadyPresent, 3000, 6000));
        Assert.All(results, r => Assert.Equal(3000, r.Merged));
        Assert.Equal(6000, (await left.GetInfoAsync()).Length);
        Assert.Equal(6000, (await right.GetInfoAsync()).Length);
    }

    [Fact]
    public async Task Clearing_removes_only_items_unchanged_since_they_were_exported()
    {
        // The steps a clearing merge takes, with a write to the source landing between export and removal.
        var name = TestData.Name("mfp");
        await Index(name).CreateAsync(new IndexSpec(2, Distance: IndexDistance.Euclidean));
        await Index(name).AddAsync([new IndexItem("same", [1, 1]), new IndexItem("changed", [2, 2]), new IndexItem("meta", [3, 3], "1")]);
        var source = fixture.Grains.GetGrain<IVectorIndexMergeGrain>(name);
        var page = await source.ExportPageAsync(null, 10);
        Assert.Equal(["changed", "meta", "same"], page.Items.Select(i => i.Id));
        Assert.Null(page.Next);

        await Index(name).AddAsync([new IndexItem("changed", [2, 2.5f]), new IndexItem("meta", [3, 3], "2")]);
        var length = await source.RemoveIfUnchangedAsync([.. page.Items.Select(i => i.Id)], page.Fingerprints);

        Assert.Equal(2, length);
        Assert.Equal(["changed", "meta"], (await Index(name).ListItemsAsync()).Items.Select(i => i.Id));
    }
}
