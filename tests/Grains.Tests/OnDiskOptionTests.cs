using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Vectord.Grains.Snapshots;
using Vectord.Storage.Snapshots;

namespace Vectord.Grains.Tests;

/// <summary>The on_disk create option through the grain API on the file backend: it is kept and reported, survives a
/// reactivation, and snapshots carry it into every restore; snapshot headers written before the option read as
/// false.</summary>
[Collection(FileCluster.Name)]
public sealed class OnDiskOptionTests(FileClusterFixture fixture)
{
    private const int Dim = 8;

    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "v1-euclidean-2parts.snapshot");

    private IVectorIndexGrain Index(string name) => fixture.Grains.GetGrain<IVectorIndexGrain>(name);

    private static JsonElement HeaderJson(byte[] file)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(file, SnapshotFile.PrefixLength, length));
        return header.RootElement.Clone();
    }

    [Fact]
    public async Task The_default_is_false()
    {
        var info = await Index(TestData.Name("mem")).CreateAsync(new IndexSpec(Dim));
        Assert.False(info.OnDisk);
    }

    [Fact]
    public async Task The_option_is_kept_across_a_reactivation_and_snapshots_restore_it()
    {
        var name = TestData.Name("ondisk");
        var info = await Index(name).CreateAsync(new IndexSpec(Dim, Shards: 2, OnDisk: true));
        Assert.True(info.OnDisk);
        var items = TestData.Items(50, Dim, seed: 31);
        await Index(name).AddAsync(items);
        await VectordCluster.ReactivateAsync(fixture.Cluster, name);
        Assert.Equal((true, 50), ((await Index(name).GetInfoAsync()).OnDisk, (await Index(name).GetInfoAsync()).Length));

        var snapshot = await Index(name).CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);
        Assert.True(HeaderJson(file).GetProperty("on_disk").GetBoolean());
        foreach (var shards in new[] { 0, 3 })
        {
            var restored = TestData.Name("ondisk-r");
            var restoredInfo = await SnapshotTransfer.RestoreAsync(fixture.Grains, file, restored, shards);
            Assert.Equal((true, 50), (restoredInfo.OnDisk, restoredInfo.Length));
            Assert.True((await Index(restored).GetInfoAsync()).OnDisk);
        }
    }

    [Fact]
    public async Task A_snapshot_of_an_index_without_the_option_restores_without_it()
    {
        var name = TestData.Name("mem");
        await Index(name).CreateAsync(new IndexSpec(Dim));
        await Index(name).AddAsync(TestData.Items(10, Dim, seed: 32));
        var snapshot = await Index(name).CreateSnapshotAsync();
        var file = await SnapshotTransfer.DownloadAsync(fixture.Grains, name, snapshot.Name);
        Assert.False(HeaderJson(file).GetProperty("on_disk").GetBoolean());
        Assert.False((await SnapshotTransfer.RestoreAsync(fixture.Grains, file, TestData.Name("mem-r"))).OnDisk);
    }

    [Fact]
    public void The_header_round_trips_the_option_and_a_header_written_before_it_reads_as_false()
    {
        var header = SnapshotHeader.Of("source", new IndexSpec(Dim, 8, 40, IndexDistance.Dot, 2, OnDisk: true),
            new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), [0, 0], Shards.ShardRouting.Scheme);
        using var output = new MemoryStream();
        SnapshotFile.Write(output, header, [_ => { }, _ => { }]);
        output.Position = 0;
        var read = SnapshotFile.ReadHeader(output);
        Assert.True(read.OnDisk);
        Assert.True(read.ToSpec(3).OnDisk);

        var golden = File.ReadAllBytes(GoldenPath);
        Assert.False(HeaderJson(golden).TryGetProperty("on_disk", out _));
        var old = SnapshotFile.ReadHeader(new MemoryStream(golden));
        Assert.False(old.OnDisk);
        Assert.False(old.ToSpec(old.Parts).OnDisk);
    }
}
