using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>The <c>tenants</c> mode end to end with a few small indexes: a real silo over file storage, filled,
/// stopped gracefully and restarted, every index checked by the mode itself. Memory figures in a test process
/// shared with other tests are noise, so the assertions are on the fields and on what any working run gives.</summary>
public sealed class TenantsModeTests
{
    [Fact]
    public async Task Tenants_mode_fills_restarts_and_hears_every_index_answer()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var json = Path.Combine(dir.Path, "tenants.jsonl");
        var exit = await new TenantsMode(output).RunAsync(BenchArgs.Parse(["--indexes", "150", "--items", "8", "--dim", "16", "--callers", "8",
            "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);

        var row = JsonDocument.Parse(Assert.Single(File.ReadAllLines(json))).RootElement;
        Assert.Equal(["mode", "indexes", "items", "dim", "storage", "create_seconds", "fill_seconds", "engine_bytes_per_index", "live_bytes_per_index",
            "heap_bytes_per_index", "rss_bytes_per_index", "stop_seconds", "silo_start_seconds", "all_answering_seconds", "preload_seconds",
            "live_bytes_per_index_after_restart", "rss_bytes_per_index_after_restart", "memory_goal_bytes", "restart_goal_seconds", "create_goal_seconds", "goal_met"],
            row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("tenants", 150, 8, 16, "file"), (row.GetProperty("mode").GetString(), row.GetProperty("indexes").GetInt32(),
            row.GetProperty("items").GetInt32(), row.GetProperty("dim").GetInt32(), row.GetProperty("storage").GetString()));
        Assert.Equal((65536L, 60.0, 10.0), (row.GetProperty("memory_goal_bytes").GetInt64(), row.GetProperty("restart_goal_seconds").GetDouble(),
            row.GetProperty("create_goal_seconds").GetDouble()));
        // Every index answered after the silo was up, and the preload had finished by the time it was awaited.
        var start = row.GetProperty("silo_start_seconds").GetDouble();
        Assert.True(start > 0 && row.GetProperty("all_answering_seconds").GetDouble() >= start);
        Assert.True(row.GetProperty("preload_seconds").GetDouble() >= row.GetProperty("all_answering_seconds").GetDouble());
        var create = row.GetProperty("create_seconds").GetDouble();
        Assert.True(create > 0 && row.GetProperty("fill_seconds").GetDouble() > create && row.GetProperty("stop_seconds").GetDouble() > 0);
        Assert.Contains("created     150 indexes in", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("all 151 indexes answered", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("preload (151 loaded)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("restart until all answer", output.ToString(), StringComparison.Ordinal);
    }
}
