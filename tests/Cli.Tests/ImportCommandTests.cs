using Spectre.Console.Testing;
using Vectord.Cli.Formats;
using Vectord.Cli.Import;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary><c>vectord import</c> against a real node: every format, bad rows, <c>--strict</c>, <c>--resume</c>.</summary>
public sealed class ImportCommandTests(NodeFixture node) : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-cli-import");

    public void Dispose() => _dir.Dispose();

    private static string NewIndex() => "cli-" + Guid.NewGuid().ToString("N")[..12];

    private static readonly float[][] Vectors = [[1, 0, 0], [0, 2, 0], [0, 0, 3], [4, 5, 6]];

    private string Write(string format)
    {
        var path = _dir.Combine(format switch
        {
            "jsonl" => "v.jsonl",
            "jsonl.gz" => "v.jsonl.gz",
            "csv" => "v.csv",
            "npy32" or "npy64" => "v.npy",
            "fvecs" => "v.fvecs",
            "bvecs" => "v.bvecs",
            _ => "v-idx3-ubyte.gz",
        });
        switch (format)
        {
            case "jsonl":
                TestFiles.Text(path, [.. Vectors.Select((v, i) => $"{{\"id\":\"{i}\",\"vector\":[{string.Join(',', v)}]}}")]);
                break;
            case "jsonl.gz":
                var plain = _dir.Combine("plain.jsonl");
                TestFiles.Text(plain, [.. Vectors.Select((v, i) => $"{{\"id\":\"{i}\",\"vector\":[{string.Join(',', v)}]}}")]);
                Bench.Tests.IdxTestFiles.WriteGzip(path, File.ReadAllBytes(plain));
                break;
            case "csv":
                TestFiles.Text(path, ["id,vector", .. Vectors.Select((v, i) => $"{i},{string.Join(' ', v)}")]);
                break;
            case "npy32" or "npy64":
                TestFiles.Npy(path, Vectors, doubles: format == "npy64");
                break;
            case "fvecs":
                TestFiles.Fvecs(path, Vectors);
                break;
            case "bvecs":
                TestFiles.Bvecs(path, [.. Vectors.Select(v => v.Select(x => (byte)x).ToArray())]);
                break;
            default:
                // 4 images of 1 × 3 pixels.
                Bench.Tests.IdxTestFiles.WriteGzip(path, Bench.Tests.IdxTestFiles.Images(4, 1, 3, (i, j) => (byte)Vectors[i][j]));
                break;
        }
        return path;
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("jsonl.gz")]
    [InlineData("csv")]
    [InlineData("npy32")]
    [InlineData("npy64")]
    [InlineData("fvecs")]
    [InlineData("bvecs")]
    [InlineData("idx")]
    public async Task Every_format_imports_into_a_created_index(string format)
    {
        var index = NewIndex();
        var path = Write(format);

        var run = await node.RunAsync("import", path, "--index", index, "--create", "--distance", "euclidean", "--batch", "3");

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        var info = await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken);
        Assert.Equal(4, info.Length);
        Assert.Equal(3, info.Dimension);
        Assert.Equal(IndexDistance.Euclidean, info.Distance);
        for (var i = 0; i < Vectors.Length; i++)
        {
            var item = await node.Client.GetItemAsync(index, i.ToString(System.Globalization.CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
            Assert.Equal(Vectors[i], item!.Vector);
        }
        Assert.Contains("imported 4 items", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task On_disk_is_passed_to_a_created_index(bool onDisk)
    {
        var index = NewIndex();
        var path = Write("jsonl");

        string[] create = ["import", path, "--index", index, "--create", "--distance", "euclidean"];
        var run = await node.RunAsync(onDisk ? [.. create, "--on-disk"] : create);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        var info = await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken);
        Assert.Equal((onDisk, 4), (info.OnDisk, info.Length));
    }

    [Fact]
    public async Task Replicas_are_passed_to_a_created_index_and_more_than_the_silos_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = NewIndex();
        var refused = NewIndex();
        var path = Write("jsonl");

        var run = await node.RunAsync("import", path, "--index", index, "--create", "--shards", "2", "--replicas", "1");
        var tooMany = await node.RunAsync("import", path, "--index", refused, "--create", "--replicas", "2");

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        var info = await node.Client.GetIndexAsync(index, ct);
        Assert.Equal((2, 1, 4), (info.Shards, info.Replicas, info.Length));
        // The node is one silo: a second copy of each shard has nowhere to go, and nothing is created.
        Assert.True(tooMany.Exit == ExitCodes.Failure, tooMany.ToString());
        Assert.Contains("replicas must be at most the cluster's 1 active silo(s)", tooMany.Output, StringComparison.Ordinal);
        Assert.False(await node.Client.IndexExistsAsync(refused, ct));
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_line_and_skipped()
    {
        var index = NewIndex();
        var path = _dir.Combine("bad.jsonl");
        TestFiles.Text(path,
            """{"id":"a","vector":[1,2,3],"metadata":{"k":1}}""",
            """{"id":"b","vector":[1,2]}""",
            """{"id":"c","vector":[1,2,3]""",
            """{"id":"d","vector":[1e999,2,3]}""",
            """{"id":"e","vector":[4,5,6]}""");

        var run = await node.RunAsync("import", path, "--index", index, "--create", "--dimension", "3", "--distance", "euclidean");

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Contains("imported 2 items", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 bad rows", run.Output, StringComparison.Ordinal);
        Assert.Contains("line 2: dim mismatch (index=3, got=2)", run.Output, StringComparison.Ordinal);
        Assert.Contains("line 3: not JSON", run.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: component 0 is Infinity: not a finite float32", run.Output, StringComparison.Ordinal);
        var ids = await node.Client.QueryAllItemsAsync(index, cancellationToken: TestContext.Current.CancellationToken).Select(i => i.Id).ToArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["a", "e"], ids);
        Assert.Equal("""{"k":1}""", (await node.Client.GetItemAsync(index, "a", TestContext.Current.CancellationToken))!.Metadata);
    }

    [Fact]
    public async Task Strict_stops_at_the_first_bad_row_with_exit_code_1()
    {
        var index = NewIndex();
        var path = _dir.Combine("strict.csv");
        TestFiles.Text(path, "id,vector", "a,1 2 3", "b,1 2 3", "c,1 x 3", "d,1 2 3");

        var run = await node.RunAsync("import", path, "--index", index, "--create", "--batch", "1", "--parallel", "1", "--strict");

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("stopped at a bad row", run.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: \"vector\" is not a list of numbers", run.Output, StringComparison.Ordinal);
        var info = await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken);
        Assert.Equal(2, info.Length);
    }

    [Fact]
    public async Task Strict_stops_at_a_row_the_service_refuses()
    {
        var index = NewIndex();
        var path = _dir.Combine("zero.jsonl");
        TestFiles.Text(path, """{"id":"a","vector":[1,0]}""", """{"id":"z","vector":[0,0]}""", """{"id":"b","vector":[0,1]}""");

        var run = await node.RunAsync("import", path, "--index", index, "--create", "--distance", "cosine", "--batch", "1", "--parallel", "1", "--strict");

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("line 2: zero vector under cosine distance", run.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken)).Length);
    }

    [Fact]
    public async Task Resume_after_an_interrupted_import_adds_only_the_missing_ids()
    {
        var index = NewIndex();
        var path = _dir.Combine("many.fvecs");
        TestFiles.Fvecs(path, [.. Enumerable.Range(0, 100).Select(i => new float[] { i, 1, 2 })]);
        await node.Client.CreateIndexAsync(index, new IndexSpec(3, Distance: IndexDistance.Euclidean), TestContext.Current.CancellationToken);

        // Interrupted (as Ctrl+C does) once the first batch is stored: the reading stops, nothing more is sent.
        using var stop = new CancellationTokenSource();
        var importer = new Importer(async (items, ct) =>
        {
            await node.Client.AddAsync(index, items, ct);
            await stop.CancelAsync();
            return null;
        }, new ImportOptions(BatchSize: 10, Parallel: 1));
        ImportResult interrupted;
        using (var reader = VectorFiles.Open(path, VectorFormat.Fvecs, new FieldNames()))
        {
            interrupted = await importer.RunAsync(reader, null, null, stop.Token);
        }
        Assert.Equal(ImportEnd.Interrupted, interrupted.End);
        Assert.Equal(10, interrupted.Stored);
        Assert.Equal(10, (await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken)).Length);

        var run = await node.RunAsync("import", path, "--index", index, "--resume", "--batch", "7");

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Contains("imported 90 items", run.Output, StringComparison.Ordinal);
        Assert.Contains("10 already present", run.Output, StringComparison.Ordinal);
        Assert.Equal(100, (await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken)).Length);
        Assert.Equal(new float[] { 99f, 1f, 2f }, (await node.Client.GetItemAsync(index, "99", TestContext.Current.CancellationToken))!.Vector);
    }

    [Fact]
    public async Task A_stop_request_before_the_first_batch_sends_nothing_and_exits_1()
    {
        var index = NewIndex();
        var path = Write("jsonl");
        await node.Client.CreateIndexAsync(index, new IndexSpec(3), TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync(new TestConsole().Width(250), ["import", path, "--index", index, "--url", node.Url], null,
            new CancellationToken(canceled: true));

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("interrupted", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await node.Client.GetIndexAsync(index, TestContext.Current.CancellationToken)).Length);
    }

    [Fact]
    public async Task A_file_of_another_dimension_than_the_index_is_refused_before_any_row()
    {
        var index = NewIndex();
        await node.Client.CreateIndexAsync(index, new IndexSpec(5), TestContext.Current.CancellationToken);

        var run = await node.RunAsync("import", Write("fvecs"), "--index", index);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains($"the file's vectors have 3 components; index {index} has dimension 5", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_index_without_create_is_an_error_naming_the_option()
    {
        var run = await node.RunAsync("import", Write("csv"), "--index", NewIndex());

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("does not exist: add --create", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_shows_rate_and_completion_on_an_interactive_console()
    {
        var index = NewIndex();
        var path = _dir.Combine("progress.fvecs");
        TestFiles.Fvecs(path, [.. Enumerable.Range(0, 2000).Select(i => new float[] { i, 1 })]);
        var console = new TestConsole().Width(200).Interactive();

        var run = await CliRun.RunAsync(console, ["import", path, "--index", index, "--create", "--distance", "euclidean", "--batch", "100", "--url", node.Url],
            null, TestContext.Current.CancellationToken);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Contains("import progress.fvecs", run.Output, StringComparison.Ordinal);
        Assert.Contains("items/s", run.Output, StringComparison.Ordinal);
        Assert.Contains("100%", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"imported 2,000 items into cli-\w+ in [0-9.]+ s \([0-9,]+ items/s\)", run.Output);
    }
}
