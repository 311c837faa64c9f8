using System.Security.Cryptography;
using Spectre.Console.Testing;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary><c>vectord snapshot create|list|download|restore|delete</c> against a real node.</summary>
public sealed class SnapshotCommandTests(NodeFixture node) : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-cli-snapshot");

    public void Dispose() => _dir.Dispose();

    private async Task<(string Index, IndexItem[] Items)> IndexAsync(CancellationToken ct)
    {
        var index = "snap-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(3, Distance: IndexDistance.Euclidean), ct);
        var random = new Random(11);
        IndexItem[] items = [.. Enumerable.Range(0, 500).Select(i => new IndexItem($"p{i}",
            [.. Enumerable.Range(0, 3).Select(_ => (float)random.NextDouble())], $$"""{"i":{{i}}}"""))];
        await node.Client.AddAsync(index, items, ct);
        return (index, items);
    }

    [Fact]
    public async Task Create_list_download_restore_elsewhere_and_delete()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, items) = await IndexAsync(ct);

        var create = await node.RunAsync("snapshot", "create", index);
        Assert.True(create.Exit == ExitCodes.Success, create.ToString());
        var snapshot = Assert.Single(await node.Client.ListSnapshotsAsync(index, ct));
        Assert.Contains(snapshot.Name, create.Output, StringComparison.Ordinal);
        Assert.Contains(snapshot.Sha256, create.Output, StringComparison.Ordinal);

        var list = await node.RunAsync("snapshot", "list", index);
        Assert.True(list.Exit == ExitCodes.Success, list.ToString());
        Assert.Contains(snapshot.Name, list.Output, StringComparison.Ordinal);
        Assert.Contains("500", list.Output, StringComparison.Ordinal);

        var file = _dir.Combine("copy.snapshot");
        var download = await node.RunAsync("snapshot", "download", index, snapshot.Name, "--out", file);
        Assert.True(download.Exit == ExitCodes.Success, download.ToString());
        Assert.Equal(snapshot.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
        Assert.False(File.Exists(file + ".partial"));

        var copy = index + "-copy";
        var restore = await node.RunAsync("snapshot", "restore", file, "--index", copy, "--shards", "2", "--sha256", snapshot.Sha256);
        Assert.True(restore.Exit == ExitCodes.Success, restore.ToString());
        Assert.Contains($"restored {copy}: 500 items", restore.Output, StringComparison.Ordinal);
        var restored = await node.Client.GetIndexAsync(copy, ct);
        Assert.Equal((500, 2), (restored.Length, restored.Shards));
        var query = new SearchQuery(items[42].Vector, K: 10);
        Assert.Equal((await node.Client.SearchAsync(index, query, ct)).Select(h => h.Id), (await node.Client.SearchAsync(copy, query, ct)).Select(h => h.Id));

        var delete = await node.RunAsync("snapshot", "delete", index, snapshot.Name);
        Assert.True(delete.Exit == ExitCodes.Success, delete.ToString());
        Assert.Empty(await node.Client.ListSnapshotsAsync(index, ct));
        var empty = await node.RunAsync("snapshot", "list", index);
        Assert.Contains("has no snapshots", empty.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfers_show_progress_in_bytes_on_an_interactive_console()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, _) = await IndexAsync(ct);
        var snapshot = await node.Client.CreateSnapshotAsync(index, ct);
        var file = _dir.Combine("progress.snapshot");

        var download = await CliRun.RunAsync(new TestConsole().Width(200).Interactive(),
            ["snapshot", "download", index, snapshot.Name, "--out", file, "--url", node.Url], null, ct);
        var restore = await CliRun.RunAsync(new TestConsole().Width(200).Interactive(),
            ["snapshot", "restore", file, "--index", index + "-p", "--url", node.Url], null, ct);

        foreach (var (run, label) in new[] { (download, $"download {snapshot.Name}"), (restore, $"restore {index}-p") })
        {
            Assert.True(run.Exit == ExitCodes.Success, run.ToString());
            Assert.Contains(label, run.Output, StringComparison.Ordinal);
            Assert.Contains("bytes/s", run.Output, StringComparison.Ordinal);
            Assert.Contains("100%", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_snapshot_exits_1_and_leaves_no_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, _) = await IndexAsync(ct);
        var missing = SnapshotNames.New(index, DateTimeOffset.UtcNow);
        var file = _dir.Combine("missing.snapshot");

        var download = await node.RunAsync("snapshot", "download", index, missing, "--out", file);
        var delete = await node.RunAsync("snapshot", "delete", index, missing);

        Assert.True(download.Exit == ExitCodes.Failure, download.ToString());
        Assert.True(delete.Exit == ExitCodes.Failure, delete.ToString());
        Assert.Contains(missing, download.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task Refused_restores_exit_1_with_the_reason_and_create_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, _) = await IndexAsync(ct);
        var snapshot = await node.Client.CreateSnapshotAsync(index, ct);
        var good = _dir.Combine("good.snapshot");
        await using (var stream = File.Create(good))
        {
            await node.Client.DownloadSnapshotAsync(index, snapshot.Name, stream, cancellationToken: ct);
        }
        var bytes = await File.ReadAllBytesAsync(good, ct);
        var damaged = _dir.Combine("damaged.snapshot");
        bytes[bytes.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(damaged, bytes, ct);
        var target = index + "-bad";

        var onExisting = await node.RunAsync("snapshot", "restore", good, "--index", index);
        var fromDamaged = await node.RunAsync("snapshot", "restore", damaged, "--index", target);
        var fromMissingFile = await node.RunAsync("snapshot", "restore", _dir.Combine("absent.snapshot"), "--index", target);

        Assert.True(onExisting.Exit == ExitCodes.Failure, onExisting.ToString());
        Assert.Contains("already exists", onExisting.Output, StringComparison.Ordinal);
        Assert.True(fromDamaged.Exit == ExitCodes.Failure, fromDamaged.ToString());
        Assert.Contains("error:", fromDamaged.Output, StringComparison.Ordinal);
        Assert.True(fromMissingFile.Exit == ExitCodes.Failure, fromMissingFile.ToString());
        Assert.Contains("absent.snapshot", fromMissingFile.Output, StringComparison.Ordinal);
        Assert.False(await node.Client.IndexExistsAsync(target, ct));
        Assert.Equal(500, (await node.Client.GetIndexAsync(index, ct)).Length);
    }
}
