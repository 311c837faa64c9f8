using System.Text;
using Vectord.Hnsw.Filtering;
using Vectord.Hnsw.Text;

namespace Vectord.Hnsw.Tests.Text;

/// <summary>
/// The compressed text index against a plain model of BM25 and of "every word present", through rounds of random
/// adds, upserts, deletes and reused slots: frequent terms grow past one block of postings and shrink back, rare ones
/// come and go until their bytes are reclaimed, and after every round every score and every match is the model's.
/// </summary>
public sealed class TextIndexOracleTests
{
    private static readonly TextOptions s_options = new([new TextField("body")]);

    private static VectorItem Item(string id, string body) => new(id, [1, 2], Encoding.UTF8.GetBytes($$"""{"body":"{{body}}"}"""));

    /// <summary>A text of common words (some in most texts, so past a block) and words of its own (rare: one text each).</summary>
    private static string Text(Random random, int serial)
    {
        string[] common = ["alpha", "beta", "gamma", "delta", "omega"];
        var words = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => common[Math.Min(random.Next(8), 4)]).ToList();
        words.AddRange(Enumerable.Range(0, 1 + random.Next(4)).Select(i => $"u{serial:D7}x{i}x{random.Next(1000):D3}"));
        return string.Join(' ', words.OrderBy(_ => random.Next()));
    }

    [Fact]
    public void Scores_and_matches_equal_the_model_through_writes_that_grow_split_shrink_and_reclaim()
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(11);
        var index = new HnswIndex(new HnswOptions(2, DistanceKind.Euclidean, M: 4, EfConstruction: 8, Text: s_options));
        var model = new Dictionary<string, string>();
        int serial = 0;
        long peak = 0;
        for (int round = 0; round < 12; round++)
        {
            // Grow for six rounds (up to ~1,800 texts: the common words' postings split into blocks), then shrink.
            int adds = round < 6 ? 300 : 40, deletes = round < 6 ? 20 : 230;
            var batch = new List<VectorItem>();
            for (int i = 0; i < adds; i++)
            {
                string id = model.Count > 0 && random.Next(5) == 0 ? model.Keys.ElementAt(random.Next(model.Count)) : $"d{serial}";
                string body = Text(random, serial++);
                batch.Add(Item(id, body));
                model[id] = body;
            }
            index.AddBatch(batch);
            foreach (var id in model.Keys.OrderBy(_ => random.Next()).Take(deletes).ToList())
            {
                Assert.True(index.Delete(id));
                model.Remove(id);
            }

            peak = Math.Max(peak, index.TextMemoryBytes);
            foreach (var query in new[] { "alpha", "beta omega", "gamma delta alpha", $"u{serial - 1:D7}x0 beta" })
            {
                var expected = ModelScores(model, query);
                var hits = index.SearchText(query, 100_000, cancellationToken: ct);
                Assert.Equal(expected.Count, hits.Length);
                foreach (var hit in hits)
                {
                    Assert.True(expected.TryGetValue(hit.Id, out double score), $"{hit.Id} scored for '{query}' in round {round}");
                    Assert.Equal(score, hit.Score, score * 1e-4);
                }
                var all = TextAnalyzer.For(TextLanguage.None).DistinctTerms(query);
                var matching = model.Where(d => all.All(t => Terms(d.Value).Contains(t))).Select(d => d.Key).Order(StringComparer.Ordinal);
                Assert.Equal(matching, index.MatchingIds(new TextMatch("body", query), ct).Order(StringComparer.Ordinal));
            }
        }
        Assert.InRange(model.Count, 50, 400);
        // The postings and the removed terms' bytes are given back (the term arrays keep their capacity).
        Assert.True(index.TextMemoryBytes < peak * 85 / 100, $"{index.TextMemoryBytes} bytes held for {model.Count} texts, {peak} at the peak");
    }

    private static List<string> Terms(string text)
    {
        var terms = new List<string>();
        TextAnalyzer.For(TextLanguage.None).Analyze(text, terms);
        return terms;
    }

    /// <summary>BM25 as defined (k1 1.2, b 0.75, idf ln(1 + (N − n + 0.5)/(n + 0.5))), in double, over the model's texts.</summary>
    private static Dictionary<string, double> ModelScores(Dictionary<string, string> texts, string query)
    {
        var terms = texts.ToDictionary(t => t.Key, t => Terms(t.Value));
        double n = terms.Count(t => t.Value.Count > 0);
        double average = terms.Sum(t => t.Value.Count) / n;
        var scores = new Dictionary<string, double>();
        foreach (var term in TextAnalyzer.For(TextLanguage.None).DistinctTerms(query))
        {
            var holding = terms.Where(t => t.Value.Contains(term)).ToList();
            double idf = Math.Log(1 + ((n - holding.Count + 0.5) / (holding.Count + 0.5)));
            foreach (var (id, words) in holding)
            {
                double tf = words.Count(w => w == term);
                scores[id] = scores.GetValueOrDefault(id) + (idf * tf * 2.2 / (tf + (1.2 * (0.25 + (0.75 * words.Count / average)))));
            }
        }
        return scores;
    }

    [Fact]
    public void The_term_table_finds_what_it_holds_reuses_numbers_and_reclaims_removed_terms_bytes()
    {
        var table = new TermTable();
        string[] terms = [.. Enumerable.Range(0, 10_000).Select(i => $"term-{i:D6}-ü")];
        for (int i = 0; i < terms.Length; i++) { table.GetOrAdd(terms[i]).Add(i, 1 + (i % 3)); }
        long full = table.MemoryBytes;
        for (int i = 0; i < terms.Length; i++)
        {
            if (i % 10 == 0) { continue; }
            ref var postings = ref table.Find(terms[i]);
            postings.Remove(i);
            table.Remove(terms[i]);
        }
        Assert.Equal(1_000, table.Count);
        Assert.True(full - table.MemoryBytes > 80_000, $"{full} bytes full, {table.MemoryBytes} after removing 9,000 terms");
        for (int i = 0; i < terms.Length; i++)
        {
            ref var postings = ref table.Find(terms[i]);
            Assert.Equal(i % 10 == 0, !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref postings));
            if (i % 10 == 0)
            {
                Assert.True(postings.Read().Next(out int slot, out int frequency));
                Assert.Equal((i, 1 + (i % 3)), (slot, frequency));
            }
        }
        long before = table.MemoryBytes;
        for (int i = 1; i < 5_000; i += 10) { table.GetOrAdd(terms[i]).Add(i, 1); }   // numbers reused: no growth of the arrays
        Assert.Equal(1_500, table.Count);
        Assert.True(table.MemoryBytes - before < 40_000, $"{before} then {table.MemoryBytes}");
        Assert.Equal(Enumerable.Range(0, 10_000).Count(i => i % 10 == 0 || (i < 5_000 && i % 10 == 1)),
            terms.Count(t => !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(t))));
    }
}
