using System.Globalization;
using Vectord.Cli.Formats;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary><c>vectord import</c> of damaged files against a real node: a file that ends early or fails its checksum
/// exits 1 naming the file, with nothing sent past its last whole row; a row past the cap is a bad row.</summary>
public sealed class DamagedImportTests(NodeFixture node) : IDisposable
{
    /// <summary>The documented cap on one row of a text format, in characters.</summary>
    private const int MaxChars = 8 << 20;

    private readonly TempDirectory _dir = new("vectord-cli-damaged");

    public void Dispose() => _dir.Dispose();

    private static string NewIndex() => "dmg-" + Guid.NewGuid().ToString("N")[..12];

    private string GzipJsonl(string name, int rows)
    {
        var path = _dir.Combine(name);
        Bench.Tests.IdxTestFiles.WriteGzip(path, TestFiles.JsonlBytes(rows));
        return path;
    }

    private Task<CliRun> ImportAsync(string path, string index, params string[] more) =>
        node.RunAsync(["import", path, "--index", index, "--create", "--distance", "euclidean", "--batch", "100", .. more]);

    [Fact]
    public async Task A_gzip_file_cut_in_half_exits_1_and_sends_nothing()
    {
        var index = NewIndex();
        var whole = File.ReadAllBytes(GzipJsonl("whole.jsonl.gz", 20_000));
        var path = _dir.Combine("half.jsonl.gz");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var run = await ImportAsync(path, index);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains($"{path}: the gzip data ends early (truncated)", run.Output, StringComparison.Ordinal);
        Assert.False(await node.Client.IndexExistsAsync(index, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_gzip_file_failing_its_crc_exits_1_and_sends_nothing()
    {
        var index = NewIndex();
        var path = GzipJsonl("crc.jsonl.gz", 20_000);
        var bytes = File.ReadAllBytes(path);
        bytes[^7] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var run = await ImportAsync(path, index);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains($"{path}: the gzip data is damaged", run.Output, StringComparison.Ordinal);
        Assert.False(await node.Client.IndexExistsAsync(index, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("v.npy", false)]
    [InlineData("v-idx3-ubyte.gz", false)]
    [InlineData("v.fvecs", true)]
    public async Task A_truncated_binary_file_exits_1_naming_the_rows_and_sends_no_partial_row(string name, bool wholeRowsSent)
    {
        var index = NewIndex();
        var path = _dir.Combine(name);
        float[][] vectors = [.. Enumerable.Range(0, 250).Select(i => new float[] { i, 1, 2 })];
        var plain = _dir.Combine("plain-" + name.Replace(".gz", "", StringComparison.Ordinal));
        switch (name)
        {
            case "v.npy":
                TestFiles.Npy(plain, vectors, doubles: false);
                break;
            case "v.fvecs":
                TestFiles.Fvecs(plain, vectors);
                break;
            default:
                File.WriteAllBytes(plain, Bench.Tests.IdxTestFiles.Images(250, 1, 3, (i, j) => (byte)vectors[i][j]));
                break;
        }
        var bytes = File.ReadAllBytes(plain)[..^2];
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            Bench.Tests.IdxTestFiles.WriteGzip(path, bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        var run = await ImportAsync(path, index);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains($"{path}: truncated", run.Output, StringComparison.Ordinal);
        Assert.Contains("249 whole rows", run.Output, StringComparison.Ordinal);
        var ct = TestContext.Current.CancellationToken;
        if (wholeRowsSent)
        {
            // Only whole rows went, in whole batches of 100, the last one at most; the partial row never.
            var stored = (await node.Client.GetIndexAsync(index, ct)).Length;
            Assert.InRange(stored, 0, 249);
            Assert.Null(await node.Client.GetItemAsync(index, "249", ct));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"({stored:N0} items stored before it"), run.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(await node.Client.IndexExistsAsync(index, ct));
        }
    }

    [Fact]
    public async Task An_npy_shape_that_overflows_exits_1_saying_it_is_too_large()
    {
        var path = _dir.Combine("huge.npy");
        TestFiles.Npy(path, [[1f, 2f, 3f]], doubles: false);
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path)).Replace("(1, 3)", "(99999999999999999999, 3)", StringComparison.Ordinal);
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text));

        var run = await ImportAsync(path, NewIndex());

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains($"{path}: .npy shape (99999999999999999999, 3) is too large", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("overflow", run.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gzip_bomb_line_is_a_bad_row_skipped_or_fatal_with_strict(bool strict)
    {
        var index = NewIndex();
        var path = _dir.Combine("bomb.jsonl.gz");
        TestFiles.GzipBomb(path, System.Text.Encoding.UTF8.GetBytes("{\"id\":\"a\",\"vector\":[1,2]}\n{\"id\":\"bomb\",\"vector\":["), (byte)'7', 64L << 20,
            "]}\n{\"id\":\"b\",\"vector\":[3,4]}\n"u8.ToArray());

        var run = await ImportAsync(path, index, strict ? ["--strict", "--batch", "1", "--parallel", "1"] : []);

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"line 2: the line is {(64L << 20) + 25:D} characters long (at most {MaxChars})"),
            run.Output, StringComparison.Ordinal);
        var ids = await node.Client.QueryAllItemsAsync(index, cancellationToken: TestContext.Current.CancellationToken)
            .Select(i => i.Id).ToArrayAsync(TestContext.Current.CancellationToken);
        if (strict)
        {
            Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
            Assert.Equal(["a"], ids);
        }
        else
        {
            Assert.True(run.Exit == ExitCodes.Success, run.ToString());
            Assert.Equal(["a", "b"], ids);
        }
    }
}
