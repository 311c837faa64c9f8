using System.Globalization;
using System.Text.RegularExpressions;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>The whole <c>named</c> mode on a slice of the installed fashion-mnist data and the real engine.</summary>
public sealed class NamedModeTests
{
    [Fact]
    public async Task A_small_run_measures_both_vectors_in_both_indexes_with_the_same_recall()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var exit = await new NamedMode(output).RunAsync(BenchArgs.Parse(["--limit", "1200", "--queries", "30", "--ef", "40", "--m", "8",
            "--ef-construction", "48", "--rounds", "1", "--cache-dir", dir.Path]), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        string text = output.ToString();
        Assert.Matches(@"build\s+pixels [0-9.]+ s, thumb [0-9.]+ s, named \(both\) [0-9.]+ s: named / both one-vector = [0-9.]+x", text);
        var memory = Regex.Match(text, @"^memory .* named / both one-vector = ([0-9.]+)x", RegexOptions.Multiline);
        Assert.True(memory.Success, text);
        Assert.InRange(double.Parse(memory.Groups[1].Value, CultureInfo.InvariantCulture), 0.8, 1.1);
        foreach (var vector in new[] { "pixels", "thumb" })
        {
            // The named index's graph of a vector is built as a one-vector index's is: the same answers.
            var row = Regex.Match(text, $@"^{vector}\s+40\s+([0-9.]+)\s+([0-9.]+)\s+[0-9]+\s+[0-9]+\s+[0-9.]+x", RegexOptions.Multiline);
            Assert.True(row.Success, text);
            Assert.Equal(row.Groups[1].Value, row.Groups[2].Value);
            Assert.InRange(double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), 0.8, 1.0);
        }
    }
}
