using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>
/// A filter's evaluation gives way: a cancelled token stops it, and a writer that arrives while it runs goes first
/// (the evaluation starts again after the write), so writes never wait behind a long count. Items whose metadata
/// the index saw only in part (stored before such items were refused) never match a negative condition.
/// </summary>
public sealed class FilterInterruptionTests
{
    private const int Dim = 4;

    private static VectorItem Item(int i, string json) =>
        new($"i{i}", [i, 1, 2, 3], Encoding.UTF8.GetBytes(json));

    /// <summary>An index of <paramref name="count"/> items with distinct values <c>v</c> = i.</summary>
    private static HnswIndex Distinct(int count)
    {
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 8, EfConstruction: 32));
        index.AddBatch([.. Enumerable.Range(0, count).Select(i => Item(i, $"{{\"v\":{i}}}"))]);
        return index;
    }

    [Fact]
    public void A_cancelled_token_stops_every_filtered_read()
    {
        var index = Distinct(100);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var filter = Cycling(3, 100);
        Assert.ThrowsAny<OperationCanceledException>(() => index.CountMatching(filter, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.MatchingIds(filter, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.Matcher(filter, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.Search([0, 1, 2, 3], 5, 0, filter, cancelled.Token));
        Assert.Equal(97, index.CountMatching(filter, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_add_completes_while_a_long_count_on_the_same_index_is_still_running()
    {
        // 50,000 conditions, each reading all 10,000 values: a second or more of work, where the add takes the time of one
        // condition to get in. (A count of a thousand conditions ends within a tenth of a second in a release build.)
        const int Count = 10_000, Conditions = 50_000;
        var index = Distinct(Count);
        var counting = Task.Run(() => index.CountMatching(Cycling(Conditions, Count), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);   // let the count begin
        index.AddBatch([Item(-1, "{\"v\":-1}")], 1);
        Assert.False(counting.IsCompleted, "the add waited for the count");
        // The count gave way and started again: it sees the item added (every other item is excluded).
        Assert.Equal(1, await counting.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_count_ends_while_writes_keep_arriving()
    {
        // Each evaluation reads 5,000 x 10,000 values; a writer adds an item about every millisecond for up to a
        // minute. Were the count to start again for every write, it would end only once the writes stop.
        const int Count = 10_000, Conditions = 5_000;
        var index = Distinct(Count);
        var ct = TestContext.Current.CancellationToken;
        var counting = Task.Run(() => index.CountMatching(Cycling(Conditions, Count), ct), ct);
        var writing = Task.Run(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            int adds = 0;
            while (!counting.IsCompleted && DateTime.UtcNow < deadline)
            {
                index.AddBatch([Item(Count + adds, "{\"w\":1}")], 1);
                adds++;
                Thread.Sleep(1);
            }
            return counting.IsCompleted;
        }, ct);

        int matched = await counting.WaitAsync(TimeSpan.FromMinutes(2), ct);
        Assert.True(await writing, "the count ended only when the writes stopped");
        Assert.Equal(Count - Conditions, matched);   // the items added have no v: a match.except needs the key present
    }

    /// <summary>Every item but those whose v is one of the first <paramref name="conditions"/> values, cycling
    /// through the <paramref name="count"/> values there are.</summary>
    private static AllOf Cycling(int conditions, int count) =>
        new([.. Enumerable.Range(0, conditions).Select(j => (PayloadFilter)new ValueNotIn("v", [PayloadValue.Of(j % count)]))]);

    [Fact]
    public void Items_indexed_in_part_never_match_must_not_and_a_load_keeps_them_so()
    {
        string values = string.Join(",", Enumerable.Range(0, PayloadDocument.MaxEntriesPerItem));
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean));
        index.AddBatch([
            Item(0, $$"""{"v":[{{values}}],"keep":true}"""),
            Item(1, """{"keep":true,"note":"\ud83d"}"""),
            Item(2, """{"keep":false}"""),
        ]);
        var notKept = new NotOf(new ValueIn("keep", [PayloadValue.Of(true)]));
        Assert.Equal(["i2"], index.MatchingIds(notKept, TestContext.Current.CancellationToken));
        Assert.Equal(0, index.CountMatching(new IsEmpty("keep"), TestContext.Current.CancellationToken));

        using var saved = new MemoryStream();
        index.Save(saved);
        saved.Position = 0;
        var loaded = HnswIndex.Load(saved);
        Assert.Equal(["i2"], loaded.MatchingIds(notKept, TestContext.Current.CancellationToken));
        // Deleted, they are forgotten; added again within the caps, they are seen whole.
        loaded.Delete("i1");
        loaded.AddBatch([Item(1, """{"keep":false}""")]);
        Assert.Equal(["i1", "i2"], loaded.MatchingIds(notKept, TestContext.Current.CancellationToken).Order(StringComparer.Ordinal));
    }
}
