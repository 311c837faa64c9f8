using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>
/// The service modes end to end on a small slice of the installed fashion-mnist data: each hosts a real in-process
/// silo with file storage in a temporary directory (and, for <c>http</c>, Kestrel on a free loopback port).
/// Figures on a shared test machine are noisy, so the assertions are on the fields and on values any working run
/// must produce, not on the goals.
/// </summary>
public sealed class ServiceModeTests
{
    private static async Task<(string Output, JsonElement Row)> RunAsync(Func<TextWriter, IBenchMode> create, TempDirectory dir, params string[] args)
    {
        var output = new StringWriter();
        var mode = create(output);
        var json = Path.Combine(dir.Path, mode.Name + ".jsonl");
        var exit = await mode.RunAsync(BenchArgs.Parse([.. args, "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]),
            TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var lines = File.ReadAllLines(json);
        Assert.Single(lines);
        var row = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(mode.Name, row.GetProperty("mode").GetString());
        Assert.Equal("fashion-mnist", row.GetProperty("dataset").GetString());
        Assert.Equal(784, row.GetProperty("dim").GetInt32());
        return (output.ToString(), row);
    }

    /// <summary>Values rounded for the JSON line agree with the same figure recomputed from other rounded fields.</summary>
    private static void AssertClose(double expected, double actual) =>
        Assert.InRange(actual, expected - Math.Abs(expected) * 0.01 - 1e-3, expected + Math.Abs(expected) * 0.01 + 1e-3);

    private static string[] Fields(JsonElement row) => [.. row.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Storage_counts_the_log_and_at_least_the_raw_vectors()
    {
        using var dir = new TempDirectory();
        var (output, row) = await RunAsync(o => new StorageMode(o), dir, "--limit", "1200", "--batch", "300");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "batch", "storage", "ingest_seconds", "log_bytes", "snapshot_bytes",
            "document_bytes", "snapshots", "bytes_written", "bytes_per_vector", "raw_bytes_per_vector", "ratio", "goal", "goal_met",
            "bytes_at_rest", "snapshot_ratio"], Fields(row));
        Assert.Equal(new Vectord.Grains.Hosting.VectordStorageOptions().SnapshotLogRatio, row.GetProperty("snapshot_ratio").GetDouble());
        Assert.Equal(1200, row.GetProperty("n").GetInt32());
        Assert.Equal(300, row.GetProperty("batch").GetInt32());
        Assert.Equal("file", row.GetProperty("storage").GetString());
        Assert.Equal(784 * 4, row.GetProperty("raw_bytes_per_vector").GetInt32());
        // Every vector goes through the log once: at least its raw bytes, and not much more than that plus ids.
        var log = row.GetProperty("log_bytes").GetInt64();
        Assert.InRange(log, 1200L * 784 * 4, 1200L * 784 * 4 * 2);
        Assert.True(row.GetProperty("document_bytes").GetInt64() > 0);
        var total = log + row.GetProperty("snapshot_bytes").GetInt64() + row.GetProperty("document_bytes").GetInt64();
        Assert.Equal(total, row.GetProperty("bytes_written").GetInt64());
        AssertClose(total / 1200.0 / (784 * 4), row.GetProperty("ratio").GetDouble());
        Assert.Equal(3.0, row.GetProperty("goal").GetDouble());
        // What is on disk after ingest was all written during it.
        Assert.InRange(row.GetProperty("bytes_at_rest").GetInt64(), 1200L * 784 * 4, total);
        Assert.Contains("ratio", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_reports_both_rates_and_their_ratio()
    {
        using var dir = new TempDirectory();
        var (_, row) = await RunAsync(o => new IngestMode(o), dir, "--limit", "1000");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "batch", "threads", "storage", "engine_seconds",
            "engine_vectors_per_second", "grain_seconds", "grain_vectors_per_second", "ratio", "goal", "goal_met"], Fields(row));
        Assert.Equal(1000, row.GetProperty("n").GetInt32());
        Assert.Equal(500, row.GetProperty("batch").GetInt32());
        Assert.Equal(1, row.GetProperty("threads").GetInt32());   // the grain's own insert parallelism
        var engine = row.GetProperty("engine_vectors_per_second").GetDouble();
        var grain = row.GetProperty("grain_vectors_per_second").GetDouble();
        AssertClose(1000 / row.GetProperty("engine_seconds").GetDouble(), engine);
        Assert.True(grain > 0 && engine > 0);
        AssertClose(grain / engine, row.GetProperty("ratio").GetDouble());
        Assert.Equal(row.GetProperty("ratio").GetDouble() >= 0.7, row.GetProperty("goal_met").GetBoolean());
    }

    [Fact]
    public async Task Restart_without_a_snapshot_replays_the_log()
    {
        using var dir = new TempDirectory();
        var (output, row) = await RunAsync(o => new RestartMode(o), dir, "--limit", "600", "--batch", "200");

        Assert.False(row.GetProperty("snapshot_on_deactivate").GetBoolean());
        Assert.Equal(3, row.GetProperty("log_records_written").GetInt64());
        Assert.Equal(0, row.GetProperty("snapshots_on_stop").GetInt64());
        Assert.Contains("20/20 searches identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_serves_the_same_answers_from_a_new_silo()
    {
        using var dir = new TempDirectory();
        var (output, row) = await RunAsync(o => new RestartMode(o), dir, "--limit", "1000", "--batch", "250", "--snapshot-on-stop");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "batch", "storage", "build_seconds", "stop_seconds", "silo_start_seconds",
            "first_search_seconds", "restart_seconds", "snapshots_written", "log_records_written", "snapshots_on_stop",
            "snapshot_on_deactivate", "ratio", "goal", "goal_met", "quantization", "on_disk", "silo_heap_bytes_per_vector"], Fields(row));
        Assert.True(row.GetProperty("snapshot_on_deactivate").GetBoolean());
        Assert.Equal("none", row.GetProperty("quantization").GetString());
        Assert.False(row.GetProperty("on_disk").GetBoolean());
        // A figure of the whole process's heap: other tests running beside this one move it, so only its presence is checked.
        Assert.Equal(JsonValueKind.Number, row.GetProperty("silo_heap_bytes_per_vector").ValueKind);
        Assert.Equal(4, row.GetProperty("log_records_written").GetInt64());
        // 1000 vectors stay under the 8 MiB log threshold: no snapshot during the build, one when the silo stops.
        Assert.Equal(0, row.GetProperty("snapshots_written").GetInt64());
        Assert.Equal(1, row.GetProperty("snapshots_on_stop").GetInt64());
        var restart = row.GetProperty("restart_seconds").GetDouble();
        AssertClose(row.GetProperty("silo_start_seconds").GetDouble() + row.GetProperty("first_search_seconds").GetDouble(), restart);
        Assert.True(row.GetProperty("build_seconds").GetDouble() > 0);
        AssertClose(restart / row.GetProperty("build_seconds").GetDouble(), row.GetProperty("ratio").GetDouble());
        Assert.Contains("20/20 searches identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_of_an_on_disk_int8_index_serves_the_same_answers()
    {
        using var dir = new TempDirectory();
        var (output, row) = await RunAsync(o => new RestartMode(o), dir, "--limit", "1000", "--batch", "250", "--snapshot-on-stop",
            "--quantization", "int8", "--on-disk");

        Assert.Equal("int8", row.GetProperty("quantization").GetString());
        Assert.True(row.GetProperty("on_disk").GetBoolean());
        Assert.Contains("on_disk true", output, StringComparison.Ordinal);
        Assert.Contains("20/20 searches identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_measures_one_and_two_callers()
    {
        using var dir = new TempDirectory();
        var (_, row) = await RunAsync(o => new ConcurrentMode(o), dir, "--limit", "800", "--queries", "60", "--ef", "32");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "queries", "ef", "cores", "qps_1", "mean_ms_1", "qps_2", "mean_ms_2",
            "ratio", "goal", "goal_met", "machine_parallelism", "load_average"], Fields(row));
        Assert.Equal(60, row.GetProperty("queries").GetInt32());
        Assert.Equal(32, row.GetProperty("ef").GetInt32());
        var qps1 = row.GetProperty("qps_1").GetDouble();
        var qps2 = row.GetProperty("qps_2").GetDouble();
        Assert.True(qps1 > 0 && qps2 > 0);
        AssertClose(qps2 / qps1, row.GetProperty("ratio").GetDouble());
        Assert.True(row.GetProperty("mean_ms_1").GetDouble() > 0);
        Assert.True(row.GetProperty("machine_parallelism").GetDouble() > 0);
    }

    [Fact]
    public async Task Http_measures_search_and_ingest_over_kestrel()
    {
        using var dir = new TempDirectory();
        var (text, row) = await RunAsync(o => new HttpMode(o), dir, "--limit", "1000", "--queries", "60", "--rounds", "3", "--metadata", "300");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "batch", "metadata_bytes", "queries", "ef", "rounds", "http_qps_1", "http_mean_ms_1", "http_qps_2",
            "http_mean_ms_2", "engine_qps", "search_ratio", "search_ratio_rounds", "search_goal", "search_goal_met", "grain_vectors_per_second",
            "http_vectors_per_second", "ingest_ratio", "ingest_goal", "ingest_goal_met", "load_average"], Fields(row));
        Assert.Equal(3, row.GetProperty("rounds").GetInt32());
        Assert.Equal(300, row.GetProperty("metadata_bytes").GetInt32());
        Assert.True(row.GetProperty("http_qps_1").GetDouble() > 0 && row.GetProperty("http_qps_2").GetDouble() > 0 && row.GetProperty("engine_qps").GetDouble() > 0);
        // The ratio is the median of the rounds' ratios, each printed with its own figures.
        double[] ratios = [.. row.GetProperty("search_ratio_rounds").EnumerateArray().Select(r => r.GetDouble())];
        Assert.Equal(3, ratios.Length);
        Assert.True(ratios.All(r => r > 0));
        AssertClose(ratios.Order().ElementAt(1), row.GetProperty("search_ratio").GetDouble());
        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("round ", StringComparison.Ordinal)));
        var httpRate = row.GetProperty("http_vectors_per_second").GetDouble();
        AssertClose(httpRate / row.GetProperty("grain_vectors_per_second").GetDouble(), row.GetProperty("ingest_ratio").GetDouble());
        Assert.Equal(0.5, row.GetProperty("search_goal").GetDouble());
        Assert.Equal(0.8, row.GetProperty("ingest_goal").GetDouble());
    }

    [Fact]
    public async Task Import_mode_runs_the_tool_on_an_idx_slice_against_http_ingest_of_the_same_vectors()
    {
        using var dir = new TempDirectory();

        var (text, row) = await RunAsync(o => new ImportMode(o), dir, "--limit", "600", "--rounds", "2", "--batch", "100");

        Assert.Equal(["mode", "dataset", "distance", "n", "dim", "batch", "parallel", "rounds", "http_vectors_per_second", "import_vectors_per_second",
            "ratio", "ratio_rounds", "goal", "goal_met", "load_average"], Fields(row));
        Assert.Equal(600, row.GetProperty("n").GetInt32());
        Assert.Equal(4, row.GetProperty("parallel").GetInt32());
        Assert.True(row.GetProperty("http_vectors_per_second").GetDouble() > 0 && row.GetProperty("import_vectors_per_second").GetDouble() > 0);
        double[] ratios = [.. row.GetProperty("ratio_rounds").EnumerateArray().Select(r => r.GetDouble())];
        Assert.Equal(2, ratios.Length);
        AssertClose(ratios.Average(), row.GetProperty("ratio").GetDouble());
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("round ", StringComparison.Ordinal)));
        Assert.Equal(0.9, row.GetProperty("goal").GetDouble());
    }

    [Fact]
    public async Task Storage_dir_and_azurite_exclude_each_other()
    {
        var ex = await Assert.ThrowsAsync<UsageException>(() => new StorageMode().RunAsync(
            BenchArgs.Parse(["--storage-dir", "/tmp/x", "--azurite", "UseDevelopmentStorage=true"]), TestContext.Current.CancellationToken));

        Assert.Contains("exclude", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_reports_latencies_idle_and_during_ingest_for_one_and_two_readers()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var json = Path.Combine(dir.Path, "mixed.jsonl");
        var exit = await new MixedMode(output).RunAsync(BenchArgs.Parse(["--limit", "1500", "--queries", "40", "--batch", "100", "--idle-seconds", "1",
            "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([1, 2], rows.Select(r => r.GetProperty("readers").GetInt32()));
        foreach (var r in rows)
        {
            Assert.Equal("mixed", r.GetProperty("mode").GetString());
            Assert.Equal(500, r.GetProperty("preloaded").GetInt32());
            Assert.Equal(500, r.GetProperty("ingested").GetInt32());
            foreach (var phase in new[] { "idle", "ingesting" })
            {
                var (p50, p99, max) = (r.GetProperty($"{phase}_p50_ms").GetDouble(), r.GetProperty($"{phase}_p99_ms").GetDouble(), r.GetProperty($"{phase}_max_ms").GetDouble());
                Assert.True(p50 > 0 && p50 <= p99 && p99 <= max, $"{phase}: {p50} {p99} {max}");
                Assert.True(r.GetProperty($"{phase}_qps").GetDouble() > 0);
            }
            AssertClose(r.GetProperty("ingest_vectors_per_second_with_readers").GetDouble() / r.GetProperty("ingest_vectors_per_second_alone").GetDouble(),
                r.GetProperty("ingest_ratio").GetDouble());
            Assert.Equal(r.GetProperty("ingesting_max_ms").GetDouble() <= 50, r.GetProperty("worst_goal_met").GetBoolean());
        }
        Assert.Contains("p99 during ingest", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shards_reports_ingest_search_per_ef_and_equal_recall_lines()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var mode = new ShardsMode(output);
        var json = Path.Combine(dir.Path, "shards.jsonl");
        var exit = await mode.RunAsync(BenchArgs.Parse(["--limit", "1200", "--queries", "40", "--efs", "10,40", "--rounds", "1",
            "--cache-dir", Path.Combine(dir.Path, "cache"), "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.All(rows, r => Assert.Equal("shards", r.GetProperty("mode").GetString()));

        var ingest = Assert.Single(rows, r => r.GetProperty("figure").GetString() == "ingest");
        Assert.Equal(1200, ingest.GetProperty("n").GetInt32());
        Assert.Equal(2, ingest.GetProperty("shards").GetInt32());
        AssertClose(ingest.GetProperty("sharded_vectors_per_second").GetDouble() / ingest.GetProperty("one_shard_vectors_per_second").GetDouble(),
            ingest.GetProperty("versus_one_shard").GetDouble());

        var searches = rows.Where(r => r.GetProperty("figure").GetString() == "search").ToArray();
        Assert.Equal([(1, 10), (2, 10), (1, 40), (2, 40)], searches.Select(r => (r.GetProperty("shards").GetInt32(), r.GetProperty("ef").GetInt32())));
        Assert.All(searches, r => Assert.InRange(r.GetProperty("recall").GetDouble(), 0.5, 1.0));
        Assert.All(searches, r => Assert.True(r.GetProperty("latency_ms").GetDouble() > 0 && r.GetProperty("qps_2").GetDouble() > 0));
        // At a beam of 40 over 600 items a shard is searched nearly exhaustively.
        Assert.All(searches.Where(r => r.GetProperty("ef").GetInt32() == 40), r => Assert.True(r.GetProperty("recall").GetDouble() >= 0.95));
        Assert.All(rows.Where(r => r.GetProperty("figure").GetString() == "equal_recall"),
            r => Assert.True(r.GetProperty("latency_ratio").GetDouble() > 0 && r.GetProperty("qps_ratio").GetDouble() > 0));
        Assert.Contains("equal       recall 0.95", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_recall_interpolates_between_the_efs_around_the_target()
    {
        ShardsSearchResult Point(int ef, double recall, double latency, double qps2) => new("shards", "search", 1, ef, recall, latency, 0, qps2);
        var curve = new[] { Point(32, 0.99, 2.0, 100), Point(16, 0.95, 1.0, 200), Point(64, 0.999, 4.0, 50) };
        Assert.Equal((1.0, 200.0), ShardsMode.AtRecall(curve, 0.9));
        var (latency, qps) = ShardsMode.AtRecall(curve, 0.97)!.Value;
        Assert.Equal(1.5, latency, 6);
        Assert.Equal(150, qps, 6);
        Assert.Null(ShardsMode.AtRecall(curve, 0.9999));
    }
}
