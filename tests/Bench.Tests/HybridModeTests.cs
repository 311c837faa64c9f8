using System.Text;
using System.Text.Json;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Bench.Modes;

namespace Vectord.Bench.Tests;

/// <summary>The package-description corpus, and the <c>hybrid</c> mode end to end on a small hand-written corpus (no
/// apt lists needed): the sentence model in process, a silo and a gateway process. Figures are noisy on a shared
/// machine, so the assertions are on the shape of the result and on what any working run gives.</summary>
public sealed class HybridModeTests
{
    private static readonly (string Package, string Short, string Long)[] s_packages =
    [
        ("archive-tool", "tool to create and extract compressed archives", "This tool creates, lists and extracts compressed archives in the tar, zip and 7z formats, and can repair damaged archives."),
        ("astro-sky", "planetarium showing the night sky", "A desktop planetarium that draws the night sky with stars, planets and constellations for any place and date."),
        ("backup-daemon", "incremental backup service for servers", "An incremental backup service that copies changed files from servers to remote storage every night, with encryption."),
        ("chess-engine", "strong chess engine speaking UCI", "A strong chess engine that evaluates positions with a neural network and speaks the UCI protocol to chess interfaces."),
        ("color-picker", "pick colours from anywhere on the screen", "Pick colours from anywhere on the screen with a magnifier, and copy them as hex, RGB or HSL values."),
        ("dns-resolver", "caching DNS resolver with DNSSEC validation", "A small caching DNS resolver that validates DNSSEC signatures and forwards queries over TLS to upstream servers."),
        ("font-mono", "monospaced font for programmers", "A monospaced font designed for programmers, with clear distinctions between similar glyphs such as zero and the letter O."),
        ("git-helper", "shortcuts for common git workflows", "Shortcuts for common git workflows: branch cleanup, interactive rebase helpers and pretty log views in the terminal."),
        ("image-viewer", "fast image viewer with thumbnails", "A fast image viewer that browses folders of photos with thumbnails, zoom, slideshow and basic rotation."),
        ("mail-filter", "spam filter for incoming mail", "A statistical spam filter for incoming mail that learns from the messages a user marks, and plugs into mail servers."),
        ("music-player", "music player with playlists and radio", "A music player for the desktop with playlists, internet radio streams, album art and a library organised by artist."),
        ("pdf-tools", "utilities to merge, split and rotate PDF files", "Command line utilities to merge, split, rotate and compress PDF files, and to extract their pages as images."),
        ("plot-lib", "library for scientific plotting", "A library for scientific plotting: line charts, histograms and heat maps exported as vector graphics for papers."),
        ("ssh-manager", "manage SSH keys and connections", "Manage SSH keys, agents and saved connections to many hosts from one terminal menu, with per-host settings."),
        ("spell-check", "spell checker for many languages", "A spell checker with dictionaries for many languages, suggestions for misspelt words and a personal word list."),
        ("task-timer", "track time spent on tasks", "Track the time spent on tasks and projects from the command line, with daily reports and exports to spreadsheets."),
        ("video-encoder", "encode videos to modern codecs", "Encode videos to modern codecs such as AV1 and VP9 with presets for streaming, archiving and small file sizes."),
        ("weather-cli", "weather forecast in the terminal", "Shows the weather forecast for the coming days in the terminal, with temperature, wind and rain for any city."),
        ("wiki-server", "lightweight wiki server with markdown pages", "A lightweight wiki server whose pages are markdown files kept in a git repository, with search and page history."),
        ("zip-crack", "recover lost passwords of zip archives", "Recovers lost passwords of encrypted zip archives by dictionary and brute force attacks using all processor cores."),
        ("budget-book", "personal finance and budget manager", "A personal finance manager that imports bank statements, sorts spending into budget categories and charts them."),
        ("cad-draw", "two-dimensional CAD drawing program", "A two-dimensional CAD program for technical drawings with layers, dimensions, blocks and DXF import and export."),
        ("recipe-box", "organise cooking recipes", "Organise cooking recipes with ingredients and steps, scale servings, and make shopping lists from a week of meals."),
        ("tiny", "too short to be a document", "Only six words in this one."),
    ];

    private static string WriteCorpus(TempDirectory dir)
    {
        var text = new StringBuilder();
        foreach (var (package, shortText, longText) in s_packages)
        {
            text.Append("Package: ").Append(package).Append('\n').Append("Version: 1.0-1\n");
            text.Append("Description: ").Append(shortText).Append('\n');
            text.Append(' ').Append(longText).Append('\n');
            if (package != "tiny") { text.Append(" .\n This package is part of the test corpus.\n"); }
            text.Append("Section: utils\n\n");
        }
        var path = Path.Combine(dir.Path, "Packages");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Corpus_reads_stanzas_drops_short_and_repeated_descriptions_and_samples_by_seed()
    {
        const string Stanzas = """
            Package: a
            Description: first package
             One two three four
             .
             five six seven eight.
            Tag: role::program,
             uitoolkit::gtk

            Package: b
            Description-md5: 0123
            Description-en: second package
             One two three four five six seven eight.

            Package: c
            Description: third, same text as a
             One two three four five six seven eight.

            Package: d
            Description: too short
             One two three.

            Package: e
            Description: no long description
            """;
        var stanzas = PackageCorpus.Parse(new StringReader(Stanzas.ReplaceLineEndings("\n")));
        Assert.Equal(["a", "b", "c", "d", "e"], stanzas.Select(s => s.Package));
        Assert.Equal("first package", stanzas[0].ShortDescription);
        Assert.Equal("One two three four five six seven eight.", stanzas[0].LongDescription);   // " ." dropped, other fields ignored
        Assert.Equal(("second package", "0123"), (stanzas[1].ShortDescription, stanzas[1].DescriptionMd5));
        Assert.Null(stanzas[4].LongDescription);

        var corpus = PackageCorpus.Build("test", stanzas, documents: null, queries: 10, seed: 1);
        Assert.Equal(5, corpus.Packages);
        // b's text equals a's ("four five" vs "four\n .\n five" read alike): one document per distinct text, the first by name.
        Assert.Equal(["a"], corpus.Documents.Select(d => d.Id));
        Assert.Equal([0], corpus.Queries);

        var many = Enumerable.Range(0, 50).Select(i => new PackageStanza($"p{i:D2}", $"short {i}", $"long description number {i} with enough words here", null)).ToList();
        var sample = PackageCorpus.Build("test", many, documents: 20, queries: 5, seed: 7);
        Assert.Equal(20, sample.Documents.Length);
        Assert.Equal(5, sample.Queries.Distinct().Count());
        Assert.Equal(sample.Documents.Select(d => d.Id).Order(StringComparer.Ordinal), sample.Documents.Select(d => d.Id));
        var again = PackageCorpus.Build("test", many, documents: 20, queries: 5, seed: 7);
        Assert.Equal(sample.Fingerprint(), again.Fingerprint());
        Assert.NotEqual(sample.Fingerprint(), PackageCorpus.Build("test", many, documents: 20, queries: 5, seed: 8).Fingerprint());

        // A description too long for an item's metadata is left out, and no query asks for it.
        var huge = new PackageStanza("p99", "huge", string.Join(' ', Enumerable.Repeat("word", (PackageCorpus.MaxBodyBytes / 5) + 1)), null);
        var withHuge = PackageCorpus.Build("test", [.. many, huge], documents: null, queries: 60, seed: 7);
        Assert.Equal(50, withHuge.Documents.Length);
        Assert.DoesNotContain(withHuge.Documents, d => d.Id == "p99");
        Assert.All(withHuge.Queries, q => Assert.InRange(q, 0, 49));
    }

    [Fact]
    public async Task Hybrid_mode_measures_every_search_on_a_node_and_the_keyword_engines_side_by_side()
    {
        using var dir = new TempDirectory();
        var corpus = WriteCorpus(dir);
        var output = new StringWriter();
        var json = Path.Combine(dir.Path, "hybrid.jsonl");
        var exit = await new HybridMode(output).RunAsync(BenchArgs.Parse(["--corpus", corpus, "--queries", "20", "--shards", "2", "--rounds", "2",
            "--batch", "7", "--no-cache", "--json", json]), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);

        var row = JsonDocument.Parse(Assert.Single(File.ReadAllLines(json))).RootElement;
        Assert.Equal("hybrid", row.GetProperty("mode").GetString());
        Assert.Equal(corpus, row.GetProperty("corpus").GetString());
        Assert.Equal((24, 23, 23, 20, 2), (row.GetProperty("packages").GetInt32(), row.GetProperty("eligible").GetInt32(),
            row.GetProperty("docs").GetInt32(), row.GetProperty("queries").GetInt32(), row.GetProperty("shards").GetInt32()));
        string[] kinds = ["dense", "keyword", "hybrid rrf", "hybrid weighted"];
        foreach (var part in new[] { "one_shard", "sharded" })
        {
            var rows = row.GetProperty(part).EnumerateArray().ToArray();
            Assert.Equal(kinds, rows.Select(r => r.GetProperty("search").GetString()));
            foreach (var r in rows)
            {
                var (recall, mrr) = (r.GetProperty("recall_at_10").GetDouble(), r.GetProperty("mrr_at_10").GetDouble());
                Assert.InRange(mrr, recall / 10, recall);   // each found answer adds between 1/10 and 1
            }
            // Every query shares words with its own document, and every document is distinct: keyword search finds most
            // answers, and the sentence model places most answers in the top 10 of 23.
            Assert.True(rows[1].GetProperty("recall_at_10").GetDouble() >= 0.8, part + " keyword recall");
            Assert.True(rows[0].GetProperty("recall_at_10").GetDouble() >= 0.8, part + " dense recall");
            Assert.True(rows[2].GetProperty("recall_at_10").GetDouble() >= 0.8, part + " hybrid recall");
        }
        // The node's one-shard keyword search is the engine's BM25: the same answers as in process.
        Assert.Equal(row.GetProperty("engine_keyword").GetProperty("mrr_at_10").GetDouble(),
            row.GetProperty("one_shard")[1].GetProperty("mrr_at_10").GetDouble(), 3);
        Assert.True(row.GetProperty("lucene_keyword").GetProperty("recall_at_10").GetDouble() >= 0.8);
        Assert.True(row.GetProperty("engine_qps").GetDouble() > 0 && row.GetProperty("lucene_qps").GetDouble() > 0);
        Assert.InRange(row.GetProperty("top10_overlap").GetDouble(), 0.5, 1.0);
        Assert.True(row.GetProperty("text_bytes").GetInt64() > 0);
        Assert.Equal(s_packages.SkipLast(1).Sum(p => (long)Encoding.UTF8.GetByteCount(p.Long + " This package is part of the test corpus.")),
            row.GetProperty("raw_text_bytes").GetInt64());
        var text = output.ToString();
        Assert.Contains("Quality over HTTP (20 queries", text, StringComparison.Ordinal);
        Assert.Contains("BM25 qps ratio engine / Lucene", text, StringComparison.Ordinal);
        Assert.Contains("node        stopped", text, StringComparison.Ordinal);
    }
}
