using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>
/// The <c>filter</c> mode on a slice of the installed fashion-mnist data, with its <c>--http</c> part: a real
/// in-process silo and gateway on Kestrel (file storage in a temporary directory) holding the same items. Figures on
/// a shared machine are noisy: the assertions are on the fields and on what any working run produces.
/// </summary>
public sealed class FilterModeTests
{
    private static readonly string[] s_filters =
        ["none", "half=0", "label=own", "label=far", "bucket=7", "rare=42", "tags any t3,t11", "label=own and bucket<100"];

    [Fact]
    public async Task Http_batch_search_is_measured_per_filter_against_the_engine_with_the_same_answers()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var json = Path.Combine(dir.Path, "filter.jsonl");
        var exit = await new FilterMode(output).RunAsync(BenchArgs.Parse(["--http", "--limit", "1000", "--queries", "30", "--batch", "10",
            "--rounds", "2", "--storage-dir", Path.Combine(dir.Path, "data"), "--json", json]), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var engine = rows.Where(r => r.GetProperty("mode").GetString() == "filter").ToArray();
        var http = rows.Where(r => r.GetProperty("mode").GetString() == "filter-http").ToArray();
        var cost = rows.Where(r => r.GetProperty("mode").GetString() == "filter-cost").ToArray();
        Assert.Equal(rows.Length, engine.Length + http.Length + cost.Length);
        // The budget's two ends: the worst body refused, the heaviest allowed filters counted within the budget.
        Assert.Equal([true, false, false], cost.Select(r => r.GetProperty("refused").GetBoolean()));
        Assert.All(cost, r => Assert.InRange(r.GetProperty("cost").GetInt64(), 0, FilterRules.MaxCost));
        Assert.Equal(s_filters, engine.Select(r => r.GetProperty("filter").GetString()));
        Assert.Equal(s_filters, http.Select(r => r.GetProperty("filter").GetString()));
        foreach (var r in http)
        {
            Assert.Equal(["mode", "filter", "n", "queries", "batch", "ef", "rounds", "engine_qps", "http_qps", "ratio", "ratio_rounds", "goal",
                "goal_met", "identical_answers", "recall_engine", "recall_http", "ingest_seconds", "load_average"], r.EnumerateObject().Select(p => p.Name));
            Assert.Equal(1000, r.GetProperty("n").GetInt32());
            Assert.Equal(30, r.GetProperty("queries").GetInt32());
            Assert.Equal(10, r.GetProperty("batch").GetInt32());
            Assert.Equal(Vectord.Hnsw.HnswOptions.DefaultEfSearch, r.GetProperty("ef").GetInt32());
            Assert.True(r.GetProperty("engine_qps").GetDouble() > 0 && r.GetProperty("http_qps").GetDouble() > 0);
            double[] ratios = [.. r.GetProperty("ratio_rounds").EnumerateArray().Select(x => x.GetDouble())];
            Assert.Equal(2, ratios.Length);
            Assert.All(ratios, x => Assert.True(x > 0));
            Assert.InRange(r.GetProperty("ratio").GetDouble(), ratios.Min() - 1e-3, ratios.Max() + 1e-3);
            Assert.Equal(0.8, r.GetProperty("goal").GetDouble());
            Assert.Equal(r.GetProperty("ratio").GetDouble() >= 0.8, r.GetProperty("goal_met").GetBoolean());
            // One build thread on both sides: the service's graph is the engine's, so are the answers.
            Assert.Equal(30, r.GetProperty("identical_answers").GetInt32());
            Assert.Equal(r.GetProperty("recall_engine").GetDouble(), r.GetProperty("recall_http").GetDouble());
        }
        // Few items match these: the planner answers them exactly.
        Assert.All(http.Where(r => r.GetProperty("filter").GetString() is "bucket=7" or "rare=42"), r => Assert.Equal(1.0, r.GetProperty("recall_http").GetDouble()));
        var text = output.ToString();
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("round ", StringComparison.Ordinal)));
        Assert.Contains("http batch qps", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_refuses_an_ef_construction_the_service_does_not_build_with()
    {
        var ex = await Assert.ThrowsAsync<UsageException>(() => new FilterMode(TextWriter.Null).RunAsync(
            BenchArgs.Parse(["--http", "--ef-construction", "64"]), TestContext.Current.CancellationToken));

        Assert.Contains("ef_construction", ex.Message, StringComparison.Ordinal);
    }
}
