using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>The whole <c>ann</c> mode on a slice of the installed fashion-mnist data and the real engine.</summary>
public sealed class AnnModeTests
{
    private static readonly string[] s_fields =
    [
        "dataset", "distance", "n", "dim", "m", "ef_construction", "ef", "recall_at_10", "qps", "exact_qps",
        "build_seconds", "build_threads", "bytes_per_vector", "quantization", "on_disk", "heap_bytes_per_vector",
        "file_bytes_per_vector",
    ];

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await new AnnMode(output).RunAsync(BenchArgs.Parse(args), TestContext.Current.CancellationToken);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Small_run_appends_one_json_line_per_ef_and_reuses_the_cached_truth()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "out", "results.jsonl");
        string[] args = ["--limit", "1500", "--queries", "40", "--ef", "10,80", "--m", "8", "--ef-construction", "64",
            "--distance", "cosine", "--threads", "2", "--cache-dir", dir.Path, "--json", json];

        var (exit, output) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains("exact top-10 computed", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(json);
        Assert.Equal(2, lines.Length);
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        foreach (var row in rows)
        {
            Assert.Equal(s_fields, row.EnumerateObject().Select(p => p.Name));
            Assert.Equal("fashion-mnist", row.GetProperty("dataset").GetString());
            Assert.Equal("cosine", row.GetProperty("distance").GetString());
            Assert.Equal("none", row.GetProperty("quantization").GetString());
            Assert.Equal(1500, row.GetProperty("n").GetInt32());
            Assert.Equal(784, row.GetProperty("dim").GetInt32());
            Assert.Equal(8, row.GetProperty("m").GetInt32());
            Assert.Equal(64, row.GetProperty("ef_construction").GetInt32());
            Assert.Equal(2, row.GetProperty("build_threads").GetInt32());
            Assert.True(row.GetProperty("qps").GetDouble() > 0);
            Assert.True(row.GetProperty("exact_qps").GetDouble() > 0);
            Assert.True(row.GetProperty("build_seconds").GetDouble() > 0);
            Assert.InRange(row.GetProperty("bytes_per_vector").GetDouble(), 784 * 4, 784 * 4 * 4);
        }
        Assert.Equal([10, 80], rows.Select(r => r.GetProperty("ef").GetInt32()));
        var recallAt80 = rows[1].GetProperty("recall_at_10").GetDouble();
        Assert.InRange(recallAt80, 0.9, 1.0);
        Assert.True(recallAt80 >= rows[0].GetProperty("recall_at_10").GetDouble());

        var (again, secondOutput) = await RunAsync([.. args[..^2]]);
        Assert.Equal(0, again);
        Assert.Contains("exact top-10 read from", secondOutput, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(json).Length);
    }

    [Fact]
    public async Task Two_quantizations_give_one_line_per_ef_and_quantization_in_turn()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "results.jsonl");
        var (exit, output) = await RunAsync("--limit", "1500", "--queries", "40", "--ef", "16,64", "--m", "8", "--ef-construction", "64",
            "--distance", "euclidean", "--quantization", "none,int8", "--rounds", "3", "--cache-dir", dir.Path, "--json", json);

        Assert.Equal(0, exit);
        Assert.Contains("build time  int8 / none: ", output, StringComparison.Ordinal);
        // Three rounds at each ef, one ratio each; the JSON lines still one per ef and quantization.
        Assert.Matches(@"ef 64: int8 / none QPS per round: \d+\.\d\d \d+\.\d\d \d+\.\d\d\r?\n", output);
        var rows = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["none", "int8", "none", "int8"], rows.Select(r => r.GetProperty("quantization").GetString()));
        Assert.Equal([16, 16, 64, 64], rows.Select(r => r.GetProperty("ef").GetInt32()));
        // The codes (784 + 4 bytes, rounded up to 800) come on top of the floats.
        Assert.InRange(rows[1].GetProperty("bytes_per_vector").GetDouble() - rows[0].GetProperty("bytes_per_vector").GetDouble(), 790, 810);
        Assert.InRange(rows[3].GetProperty("recall_at_10").GetDouble(), 0.9, 1.0);
    }

    [Fact]
    public async Task A_disk_build_keeps_its_floats_in_a_file_and_off_the_heap()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "results.jsonl");
        var (exit, output) = await RunAsync("--limit", "1500", "--queries", "40", "--ef", "16", "--m", "8", "--ef-construction", "64",
            "--quantization", "int8,int8+disk", "--cache-dir", dir.Path, "--json", json);

        Assert.Equal(0, exit);
        Assert.Contains("memory      int8+disk / int8: index ", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["int8", "int8"], rows.Select(r => r.GetProperty("quantization").GetString()));
        Assert.Equal([false, true], rows.Select(r => r.GetProperty("on_disk").GetBoolean()));
        // The file holds the 784 floats of each vector and the index's own count loses them. (The managed heap's growth
        // is a figure of the whole process, which the tests running beside this one move: not asserted.)
        Assert.Equal(0, rows[0].GetProperty("file_bytes_per_vector").GetDouble());
        Assert.Equal(784 * 4, rows[1].GetProperty("file_bytes_per_vector").GetDouble());
        Assert.InRange(rows[0].GetProperty("bytes_per_vector").GetDouble() - rows[1].GetProperty("bytes_per_vector").GetDouble(), 3100, 3200);
        Assert.Equal(rows[0].GetProperty("recall_at_10").GetDouble(), rows[1].GetProperty("recall_at_10").GetDouble());
    }

    [Theory]
    [InlineData("int8+ssd", "unknown value 'int8+ssd'")]
    [InlineData("int4", "unknown value 'int4'")]
    [InlineData("int8,int8", "'int8' given twice")]
    public async Task A_bad_quantization_list_fails_before_any_work(string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<UsageException>(() => RunAsync("--limit", "1000", "--quantization", value));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_option_fails_before_any_work()
    {
        var ex = await Assert.ThrowsAsync<UsageException>(() => RunAsync("--limit", "1000", "--ef-constrution", "10"));

        Assert.Contains("--ef-constrution", ex.Message, StringComparison.Ordinal);
    }
}
