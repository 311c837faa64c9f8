using Vectord.Storage.Log;
using Vectord.Storage;
using Vectord.Hnsw;
using Vectord.Testing;
using Vectord.Storage.Parts;

namespace Vectord.Storage.Tests;

/// <summary>A part's replay of its log needs no more memory than the index it ends with: the index is grown once, to
/// the items the log's adds hold, before the records are applied, instead of doubling on the way.</summary>
public sealed class PartReplayTests : IDisposable
{
    private static readonly HnswOptions Options = new(8, DistanceKind.Euclidean);
    private static readonly SnapshotPolicy Never = new(LogRatio: 1e9, MinLogBytes: long.MaxValue);
    private readonly TempDirectory _directory = new("vectord-replay");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_replay_grows_the_index_once_to_the_items_of_the_log()
    {
        var store = new FileIndexBlobStore(_directory.Path);
        var location = new PartLocation("idx", "g1", null);
        var checkpoint = await DocumentCheckpoint.ReadAsync(store, location.Checkpoint, location.ToString());
        var (empty, log) = await PartLog.RecoverAsync(store, location, checkpoint, Never, Options);
        var part = new IndexPart(empty, log, new PartCapacity(PartCapacity.EngineMaxVectorBytes), revision: 0);
        for (var b = 0; b < 5; b++)
        {
            var random = new Random(b);
            await part.AddAsync([.. Enumerable.Range(0, 100).Select(i => new VectorItem($"b{b}-{i:D4}", [.. Enumerable.Range(0, 8).Select(_ => random.NextSingle() - 0.5f)]))]);
        }
        await part.DeleteAsync(["b0-0001"]);

        var (index, replayed) = await PartLog.RecoverAsync(store, location, checkpoint, Never, Options);
        Assert.Equal((499, 6L), (index.Count, replayed.Seq));
        // Exactly the 500 slots the adds took, no spare capacity from doubling (100, 200, 400, 800): one more item
        // needs a growth, a free slot (the deleted one) does not.
        Assert.Equal(0, index.GrowthBytes(1));
        Assert.True(index.GrowthBytes(2) > 0);
    }
}
