using Vectord.Bench.Common;

namespace Vectord.Bench.Tests;

public sealed class BenchArgsTests
{
    private static readonly Dictionary<string, int> s_colours = new() { ["red"] = 1, ["blue"] = 2 };

    [Fact]
    public void Reads_spaced_and_equals_forms_lists_flags_and_choices()
    {
        var args = BenchArgs.Parse(["--queries", "50", "--ef=16,32,16,64", "--no-cache", "--colour", "BLUE"]);

        Assert.Equal(50, args.GetInt("queries", 1000, min: 1));
        Assert.Equal([16, 32, 64], args.GetIntList("ef", [1]));
        Assert.True(args.GetFlag("no-cache"));
        Assert.False(args.GetFlag("verbose"));
        Assert.Equal(2, args.GetChoice("colour", 0, s_colours));
        Assert.Equal(7, args.GetInt("m", 7));
        Assert.Null(args.GetString("json"));
        args.EnsureAllUsed();
    }

    [Fact]
    public void Unread_options_are_reported()
    {
        var args = BenchArgs.Parse(["--queries", "5", "--qeuries", "6"]);
        args.GetInt("queries", 1);

        var ex = Assert.Throws<UsageException>(args.EnsureAllUsed);
        Assert.Contains("--qeuries", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--m", "x" }, "not an integer")]
    [InlineData(new[] { "--m", "1" }, "must be >= 2")]
    [InlineData(new[] { "--m" }, "needs a value")]
    [InlineData(new[] { "--m", "4", "--m", "5" }, "given twice")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    public void Bad_values_are_usage_errors(string[] tokens, string expected)
    {
        var ex = Assert.Throws<UsageException>(() => BenchArgs.Parse(tokens).GetInt("m", 16, min: 2));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flag_with_a_value_and_unknown_choice_are_usage_errors()
    {
        var args = BenchArgs.Parse(["--no-cache", "yes", "--colour", "green"]);

        Assert.Throws<UsageException>(() => args.GetFlag("no-cache"));
        var ex = Assert.Throws<UsageException>(() => args.GetChoice("colour", 0, s_colours));
        Assert.Contains("red, blue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_recognised_anywhere()
    {
        Assert.True(BenchArgs.Parse(["--queries", "5", "-h"]).HelpRequested);
        Assert.False(BenchArgs.Parse(["--queries", "5"]).HelpRequested);
    }
}
