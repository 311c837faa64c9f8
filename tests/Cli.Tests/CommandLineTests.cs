using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>Exit codes, help, global options and the read commands (indexes, info, search).</summary>
public sealed class CommandLineTests(NodeFixture node)
{
    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        var run = await CliRun.RunAsync(["--help"]);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        foreach (var command in new[] { "import", "export", "indexes", "info", "text-fields", "search", "snapshot" })
        {
            Assert.Contains(command, run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("import", "--help")]
    [InlineData("export", "--help")]
    [InlineData("indexes", "--help")]
    [InlineData("info", "--help")]
    [InlineData("search", "--help")]
    [InlineData("snapshot", "create", "--help")]
    [InlineData("snapshot", "list", "--help")]
    [InlineData("snapshot", "download", "--help")]
    [InlineData("snapshot", "restore", "--help")]
    [InlineData("snapshot", "delete", "--help")]
    public async Task Help_is_on_every_command_with_the_global_options(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Contains("USAGE:", run.Output, StringComparison.Ordinal);
        Assert.Contains("--url", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("import", "a.jsonl")]
    [InlineData("import", "a.jsonl", "--index", "x", "--batch", "0")]
    [InlineData("import", "a.weird", "--index", "x")]
    [InlineData("import", "a.jsonl", "--index", "x", "--dimension", "3")]
    [InlineData("import", "a.jsonl", "--index", "x", "--on-disk")]
    [InlineData("import", "a.jsonl", "--index", "x", "--create", "--distance", "manhattan")]
    [InlineData("import", "a.jsonl", "--index", "x", "--replicas", "2")]
    [InlineData("import", "a.jsonl", "--index", "x", "--create", "--replicas", "9")]
    [InlineData("search", "x")]
    [InlineData("search", "x", "--vector", "[1,2", "-k", "3")]
    [InlineData("search", "x", "--vector", "[1,2]", "--filter", "{\"must\":[{\"key\":\"a\",\"range\":{}}]}")]
    [InlineData("search", "x", "--vector", "[1,2]", "--consistency", "eventual")]
    [InlineData("search", "x", "--id", "a", "--vector", "[1,2]")]
    [InlineData("search", "x", "--vector", "[1,2]", "--fusion", "weighted")]
    [InlineData("search", "x", "--text", "fox", "--fusion", "max")]
    [InlineData("text-fields", "x")]
    [InlineData("text-fields", "x", "body:klingon")]
    [InlineData("indexes", "--url", "ftp://example")]
    [InlineData("export", "--index", "x")]
    [InlineData]
    [InlineData("snapshot")]
    [InlineData("snapshot", "create")]
    [InlineData("snapshot", "download", "x")]
    [InlineData("snapshot", "restore", "x.snapshot")]
    [InlineData("snapshot", "restore", "x.snapshot", "--index", "y", "--shards", "65")]
    [InlineData("snapshot", "restore", "x.snapshot", "--index", "y", "--sha256", "abc")]
    public async Task A_wrong_command_line_exits_2_saying_what_is_wrong(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.True(run.Exit == ExitCodes.Usage, run.ToString());
        Assert.Contains("error:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_service_exits_1()
    {
        var port = Testing.FreePort.Next();

        var run = await CliRun.RunAsync(["indexes", "--url", $"http://127.0.0.1:{port}"]);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
        Assert.Contains("error:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_address_comes_from_VECTORD_URL_when_url_is_not_given()
    {
        var index = "env-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(2, Shards: 2), TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync(["indexes"], new Dictionary<string, string> { ["VECTORD_URL"] = node.Url });

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Matches($@"{index}\s*│\s*2\s*│\s*cosine\s*│\s*2\s*│\s*1\s*│\s*0", run.Output);
    }

    [Fact]
    public async Task Info_shows_parameters_and_shards()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "info-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(3, M: 8, Distance: IndexDistance.Dot, Shards: 2), ct);
        await node.Client.AddAsync(index, [new IndexItem("a", [1, 2, 3]), new IndexItem("b", [3, 2, 1]), new IndexItem("c", [1, 1, 1])], ct);

        var run = await node.RunAsync("info", index);

        Assert.True(run.Exit == ExitCodes.Success, run.ToString());
        Assert.Matches(@"items\s+3", run.Output);
        Assert.Matches(@"distance\s+dot", run.Output);
        Assert.Matches(@"m\s+8", run.Output);
        Assert.Matches(@"replicas\s+1", run.Output);
        // One row per copy: shard, replica, role, items, silo, log position, lag, ready.
        Assert.Matches(@"shard\s*│\s*replica\s*│\s*role\s*│\s*items\s*│\s*silo\s*│\s*log position\s*│\s*lag\s*│\s*ready", run.Output);
        Assert.Matches(@"│\s*0\s*│\s*0\s*│\s*primary\s*│.*│\s*0\s*│\s*yes\s*│", run.Output);
        Assert.Matches(@"│\s*1\s*│\s*0\s*│\s*primary\s*│.*│\s*0\s*│\s*yes\s*│", run.Output);
    }

    [Fact]
    public async Task Info_of_a_missing_index_exits_1()
    {
        var run = await node.RunAsync("info", "missing-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True(run.Exit == ExitCodes.Failure, run.ToString());
    }

    [Fact]
    public async Task Search_by_vector_or_by_id_with_a_filter_lists_the_nearest()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "search-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        await node.Client.AddAsync(index, [
            new IndexItem("near", [1, 0], """{"lang":"en"}"""),
            new IndexItem("mid", [2, 0], """{"lang":"fr"}"""),
            new IndexItem("far", [9, 0], """{"lang":"en"}""")], ct);

        var byVector = await node.RunAsync("search", index, "--vector", "[1.1,0]", "-k", "2");
        var byId = await node.RunAsync("search", index, "--id", "near", "--filter", """{"must":[{"key":"lang","match":{"value":"en"}}]}""");
        var missing = await node.RunAsync("search", index, "--id", "nobody");
        var primary = await node.RunAsync("search", index, "--vector", "[1.1,0]", "-k", "2", "--consistency", "primary");

        Assert.True(byVector.Exit == ExitCodes.Success, byVector.ToString());
        Assert.Matches(@"1\s*│\s*near\s*│\s*0\.1", byVector.Output);
        Assert.Matches(@"2\s*│\s*mid\s*│\s*0\.9", byVector.Output);
        Assert.DoesNotContain("far", byVector.Output, StringComparison.Ordinal);
        Assert.True(byId.Exit == ExitCodes.Success, byId.ToString());
        Assert.Matches(@"1\s*│\s*near\s*│\s*0\s", byId.Output);
        Assert.Matches(@"2\s*│\s*far\s*│\s*8\s", byId.Output);
        Assert.DoesNotContain("mid", byId.Output, StringComparison.Ordinal);
        Assert.True(missing.Exit == ExitCodes.Failure, missing.ToString());
        Assert.Contains("has no item nobody", missing.Output, StringComparison.Ordinal);
        Assert.Equal(byVector, primary);
    }

    [Fact]
    public async Task Search_by_words_alone_or_with_a_vector_lists_scores_and_distances()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "words-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(2, Distance: IndexDistance.Euclidean,
            TextFields: [new IndexTextField("title"), new IndexTextField("body", IndexTextLanguage.English)]), ct);
        await node.Client.AddAsync(index, [
            new IndexItem("fox", [1, 0], """{"title":"The red fox","body":"Foxes run through the fields"}"""),
            new IndexItem("dog", [2, 0], """{"title":"A brown dog","body":"Dogs sleep by the fire"}"""),
            new IndexItem("cat", [9, 0], """{"title":"Black cat","body":"A fox watched the cat running"}""")], ct);

        var words = await node.RunAsync("search", index, "--text", "fox running");
        var titles = await node.RunAsync("search", index, "--text", "fox", "--fields", "title");
        var hybrid = await node.RunAsync("search", index, "--text", "sleeping", "--vector", "[9,0]", "-k", "2");
        var noText = await node.RunAsync("search", index, "--text", "fox", "--fields", "nope");

        Assert.True(words.Exit == ExitCodes.Success, words.ToString());
        // fox: "fox" in its title, both words (stemmed) in its body; cat: both in its body. No distances.
        Assert.Matches(@"1\s*│\s*fox\s*│\s*[0-9.]+\s*│\s*│", words.Output);
        Assert.Matches(@"2\s*│\s*cat\s*│\s*[0-9.]+\s*│\s*│", words.Output);
        Assert.DoesNotContain("dog", words.Output, StringComparison.Ordinal);
        Assert.True(titles.Exit == ExitCodes.Success, titles.ToString());
        Assert.Matches(@"1\s*│\s*fox\s*│", titles.Output);
        Assert.DoesNotContain("cat", titles.Output, StringComparison.Ordinal);
        Assert.True(hybrid.Exit == ExitCodes.Success, hybrid.ToString());
        Assert.Matches(@"1\s*│\s*dog\s*│\s*0\.0[0-9]+\s*│\s*7\s", hybrid.Output);   // in both lists: first
        Assert.Matches(@"2\s*│\s*cat\s*│\s*0\.0[0-9]+\s*│\s*0\s", hybrid.Output);
        Assert.True(noText.Exit == ExitCodes.Failure, noText.ToString());
        Assert.Contains("'nope' is not a text field of this index", noText.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_uses_a_named_vector_and_info_shows_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "named-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(0, Vectors: [new("title", 2, IndexDistance.Euclidean), new("image", 3, IndexDistance.Euclidean)]), ct);
        await node.Client.AddAsync(index, [
            new IndexItem("fox", [], """{"n":1}""", new() { ["title"] = [0, 0], ["image"] = [9, 9, 9] }),
            new IndexItem("dog", [], """{"n":2}""", new() { ["title"] = [5, 5], ["image"] = [0, 0, 1] })], ct);

        var byTitle = await node.RunAsync("search", index, "--vector", "[0.1,0]", "--using", "title", "-k", "1");
        var byImage = await node.RunAsync("search", index, "--id", "dog", "--using", "image", "-k", "1");
        var noUsing = await node.RunAsync("search", index, "--id", "dog");
        var info = await node.RunAsync("info", index);
        var indexes = await node.RunAsync("indexes");

        Assert.True(byTitle.Exit == ExitCodes.Success, byTitle.ToString());
        Assert.Matches($@"{index}\s*│\s*title:2 image:3\s*│\s*euclidean", indexes.Output);
        Assert.Matches(@"1\s*│\s*fox\s*│", byTitle.Output);
        Assert.True(byImage.Exit == ExitCodes.Success, byImage.ToString());
        Assert.Matches(@"1\s*│\s*dog\s*│\s*0\s", byImage.Output);
        Assert.True(noUsing.Exit == ExitCodes.Failure, noUsing.ToString());
        Assert.Contains("the index has named vectors (title, image): give --using", noUsing.Output, StringComparison.Ordinal);
        Assert.Matches(@"named vectors\s+title \(2, euclidean, none\), image \(3, euclidean, none\)", info.Output);
    }

    [Fact]
    public async Task Text_fields_makes_fields_of_an_index_searchable_and_info_shows_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = "late-words-" + Guid.NewGuid().ToString("N")[..12];
        await node.Client.CreateIndexAsync(index, new IndexSpec(2, Distance: IndexDistance.Euclidean), ct);
        await node.Client.AddAsync(index, [
            new IndexItem("fox", [1, 0], """{"title":"The red fox","body":"Foxes run through the fields"}"""),
            new IndexItem("dog", [2, 0], """{"title":"A brown dog","body":"Dogs sleep by the fire"}""")], ct);

        var added = await node.RunAsync("text-fields", index, "title", "body:english");
        var words = await node.RunAsync("search", index, "--text", "running", "--fields", "body");
        var info = await node.RunAsync("info", index);
        var otherLanguage = await node.RunAsync("text-fields", index, "title:english");

        Assert.True(added.Exit == ExitCodes.Success, added.ToString());
        Assert.Matches(@"title\s*│\s*none", added.Output);
        Assert.Matches(@"body\s*│\s*english", added.Output);
        Assert.True(words.Exit == ExitCodes.Success, words.ToString());
        Assert.Matches(@"1\s*│\s*fox\s*│", words.Output);
        Assert.DoesNotContain("dog", words.Output, StringComparison.Ordinal);
        Assert.Matches(@"text fields\s+title \(none\), body \(english\)", info.Output);
        Assert.True(otherLanguage.Exit == ExitCodes.Failure, otherLanguage.ToString());
        Assert.Contains("'title' is a text field already, in none", otherLanguage.Output, StringComparison.Ordinal);
    }
}
