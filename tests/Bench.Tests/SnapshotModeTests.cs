using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>The <c>snapshot</c> mode end to end on a small slice of fashion-mnist: a real silo with the HTTP API, the
/// snapshot taken, downloaded and restored, and the restored index checked by the mode itself.</summary>
public sealed class SnapshotModeTests
{
    [Fact]
    public async Task Snapshot_mode_times_build_create_download_and_restore_of_a_slice()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var json = Path.Combine(dir.Path, "snapshot.jsonl");
        var exit = await new SnapshotMode(output).RunAsync(BenchArgs.Parse(["--limit", "1500", "--batch", "300", "--queries", "20", "--shards", "2",
            "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);

        var row = JsonDocument.Parse(Assert.Single(File.ReadAllLines(json))).RootElement;
        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "shards", "bytes", "build_seconds", "create_seconds", "download_seconds",
            "restore_seconds", "ratio", "goal", "goal_met"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("snapshot", 1500, 784, 2), (row.GetProperty("mode").GetString(), row.GetProperty("n").GetInt32(),
            row.GetProperty("dim").GetInt32(), row.GetProperty("shards").GetInt32()));
        Assert.True(row.GetProperty("bytes").GetInt64() > 1500L * 784 * 4);   // every vector is in the file
        var phases = row.GetProperty("create_seconds").GetDouble() + row.GetProperty("download_seconds").GetDouble() + row.GetProperty("restore_seconds").GetDouble();
        Assert.InRange(row.GetProperty("ratio").GetDouble(), (phases / row.GetProperty("build_seconds").GetDouble()) * 0.98 - 1e-3,
            (phases / row.GetProperty("build_seconds").GetDouble()) * 1.02 + 1e-3);
        Assert.Equal(0.2, row.GetProperty("goal").GetDouble());
        Assert.Contains("restored index identical on 20 queries", output.ToString(), StringComparison.Ordinal);
    }
}
