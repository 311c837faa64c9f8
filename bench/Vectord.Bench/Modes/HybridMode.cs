using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Vectord.Bench.Cluster;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Client;
using Vectord.Hnsw;
using Vectord.Hnsw.Text;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Keyword and hybrid search on real text, in one run: Debian package descriptions (documents = long descriptions,
/// queries = short descriptions, each answered rightly by its own package), embedded by a small sentence model
/// (<see cref="SentenceEmbeddings"/>). In process: the engine's BM25 (<see cref="HnswIndex.SearchText"/>) against
/// Lucene.Net's on the same documents and queries (single-thread QPS, best of <c>--rounds</c>; top-10 overlap) and the
/// text index's memory against the raw text. On a node of real processes (<see cref="LoopbackNode"/>): recall@10 and
/// MRR@10 of dense, keyword, hybrid RRF and hybrid weighted search over HTTP, on one shard and on <c>--shards</c>.
/// Goals: hybrid above both halves; BM25 QPS ≥ 0.5× Lucene's; text index ≤ 1× the raw text.
/// </summary>
internal sealed class HybridMode(TextWriter? output = null) : IBenchMode
{
    public const double SpeedGoal = 0.5;
    public const double MemoryGoal = 1.0;
    public const int K = 10;
    public const float Alpha = 0.5f;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "hybrid";

    public string Summary => "keyword and hybrid search on Debian package descriptions: recall@10/MRR@10 over a node (1 and N shards), BM25 QPS vs Lucene.Net, text index size";

    public string Usage => """
          --docs N         documents drawn from the corpus (by --seed)                           [all]
          --queries N      queries (short descriptions of documents, drawn by --seed)           [1000]
          --seed N         seed of both draws                                                     [42]
          --corpus FILE    read stanzas from FILE (Packages/Translation format) instead of apt-cache dumpavail
          --shards N       shards of the second index                                              [4]
          --rounds N       timed rounds of the BM25 comparison (best round reported)              [5]
          --batch N        items per add over HTTP                                                [500]
          --cache-dir DIR  where the embeddings are cached          [$VECTORD_CACHE_DIR or ~/.cache/vectord]
          --no-cache       embed again, store nothing
          --json FILE      append the result as one JSON object to FILE
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var documents = args.GetOptionalInt("docs", min: 1);
        var queryCount = args.GetInt("queries", 1000, min: 1);
        var seed = args.GetInt("seed", 42);
        var corpusFile = args.GetString("corpus");
        var shards = args.GetInt("shards", 4, min: 2, max: IndexLimits.MaxShards);
        var rounds = args.GetInt("rounds", 5, min: 1, max: 100);
        var batch = args.GetInt("batch", 500, min: 1, max: ItemLimits.MaxBatchItems);
        var cacheDir = args.GetString("cache-dir") ?? GroundTruthCache.DefaultDirectory();
        var noCache = args.GetFlag("no-cache");
        var jsonPath = args.GetString("json");
        args.EnsureAllUsed();
        var output = _output;

        // 1. The corpus.
        var corpus = corpusFile is null
            ? PackageCorpus.FromApt(documents, queryCount, seed, cancellationToken)
            : PackageCorpus.FromFile(corpusFile, documents, queryCount, seed);
        var docs = corpus.Documents;
        var rawBytes = corpus.BodyBytes;
        output.WriteLine(Invariant($"corpus      {corpus.Source}: {corpus.Packages} packages, {corpus.Eligible} with a distinct long description of >= {PackageCorpus.MinWords} words"));
        output.WriteLine(Invariant($"            {docs.Length} documents (seed {seed}; {rawBytes / (1024.0 * 1024.0):F1} MiB of text, {docs.Average(d => PackageCorpus.WordCount(d.Body)):F0} words on average), {corpus.Queries.Length} queries (short descriptions, {corpus.Queries.Average(q => PackageCorpus.WordCount(docs[q].ShortDescription)):F1} words on average)"));

        // 2. Embeddings of the documents and the queries.
        var fingerprint = corpus.Fingerprint();
        string[] texts = [.. docs.Select(d => d.Body), .. corpus.Queries.Select(q => docs[q].ShortDescription)];
        var cacheFile = noCache ? null : SentenceEmbeddings.CacheFile(cacheDir, texts.Length, fingerprint);
        var vectors = SentenceEmbeddings.Embed(texts, fingerprint, cacheFile, line => output.WriteLine("            " + line),
            out var embedSeconds, out var cached, cancellationToken);
        var docVectors = vectors[..docs.Length];
        var queryVectors = vectors[docs.Length..];
        output.WriteLine(Invariant($"embeddings  {SentenceEmbeddings.Model}, {SentenceEmbeddings.Dimension}-d: {texts.Length} texts in {embedSeconds:F1} s ({texts.Length / embedSeconds:F0} texts/s){(cached ? $", read from {cacheFile}" : "")}"));

        var items = new VectorItem[docs.Length];
        for (var i = 0; i < docs.Length; i++)
        {
            items[i] = new VectorItem(docs[i].Id, docVectors[i], JsonSerializer.SerializeToUtf8Bytes(new Metadata(docs[i].Body, docs[i].Id)));
        }
        var queries = corpus.Queries.Select((doc, i) => new Query(docs[doc].Id, docs[doc].ShortDescription, queryVectors[i])).ToArray();

        // 3. In process: the engine's BM25 against Lucene.Net's, and the text index's size.
        var engine = BenchEngine(docs, items, queries, rounds, rawBytes, cancellationToken);
        output.WriteLine(Invariant($"engine      HnswIndex (cosine, text field body, english): {docs.Length} items added in {engine.EngineBuildSeconds:F1} s ({Environment.ProcessorCount} threads); Lucene.Net {engine.LuceneVersion} index in {engine.LuceneBuildSeconds:F1} s"));

        // 4. Over a node of real processes: quality of each kind of search, on one shard and on several.
        QualityRow[] oneShard, sharded;
        await using (var node = await LoopbackNode.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            output.WriteLine($"node        silo pid {node.Silo.Pid} + gateway pid {node.Gateway.Pid} on {node.Http.BaseAddress} (file storage in {node.DataPath})");
            var client = new VectordClient(node.Http);
            oneShard = await QualityAsync(client, items, queries, shards: 1, batch, output, cancellationToken).ConfigureAwait(false);
            sharded = await QualityAsync(client, items, queries, shards, batch, output, cancellationToken).ConfigureAwait(false);
        }
        output.WriteLine("node        stopped");

        var result = Report(output, corpus, seed, embedSeconds, cached, engine, oneShard, sharded, shards, rawBytes);
        if (jsonPath is not null) { JsonLines.Append(jsonPath, result); }
        return 0;
    }

    /// <summary>Builds the engine's index and Lucene's over the same documents, times both on the queries (one thread,
    /// alternating, best round each), compares their top 10s and their keyword quality, and reads the text index's
    /// memory.</summary>
    private static EngineFigures BenchEngine(PackageDocument[] docs, VectorItem[] items, Query[] queries, int rounds, long rawBytes, CancellationToken cancellationToken)
    {
        var options = new HnswOptions(SentenceEmbeddings.Dimension, DistanceKind.Cosine,
            Text: new TextOptions([new TextField("body", TextLanguage.English)]));
        var index = new HnswIndex(options);
        var engineBuild = Timing.Seconds(() => index.AddBatch(items, Environment.ProcessorCount));
        var textBytes = index.TextMemoryBytes;

        var (lucene, luceneBuild) = Timing.Measure(() => new LuceneBm25(docs));
        using (lucene)
        {
            // Both on the same thread, warmed up until the JIT has optimised their hot paths.
            Timing.WarmUp(i => index.SearchText(queries[i].Text, K, cancellationToken: CancellationToken.None), queries.Length, minCalls: 300, minSeconds: 0.5);
            Timing.WarmUp(i => lucene.Search(queries[i].Text, K), queries.Length, minCalls: 300, minSeconds: 0.5);
            var ours = new double[rounds];
            var theirs = new double[rounds];
            var ourHits = new TextHit[queries.Length][];
            var luceneHits = new int[queries.Length][];
            for (var round = 0; round < rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = Stopwatch.GetTimestamp();
                for (var q = 0; q < queries.Length; q++) { ourHits[q] = index.SearchText(queries[q].Text, K, cancellationToken: CancellationToken.None); }
                ours[round] = queries.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
                start = Stopwatch.GetTimestamp();
                for (var q = 0; q < queries.Length; q++) { luceneHits[q] = lucene.Search(queries[q].Text, K); }
                theirs[round] = queries.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            // Agreement: shared results over the longer list of each query; top-1 agreement.
            long shared = 0, longer = 0;
            var sameFirst = 0;
            var ourRanks = new int[queries.Length];
            var luceneRanks = new int[queries.Length];
            for (var q = 0; q < queries.Length; q++)
            {
                var a = ourHits[q].Select(h => h.Id).ToArray();
                var b = luceneHits[q].Select(lucene.IdOf).ToArray();
                shared += a.Intersect(b, StringComparer.Ordinal).Count();
                longer += Math.Max(a.Length, b.Length);
                if (a.Length > 0 && b.Length > 0 && a[0] == b[0]) { sameFirst++; }
                ourRanks[q] = Array.IndexOf(a, queries[q].Answer) + 1;
                luceneRanks[q] = Array.IndexOf(b, queries[q].Answer) + 1;
            }
            return new EngineFigures(engineBuild, luceneBuild, LuceneBm25.Version,
                ours, theirs, ours.Max(), theirs.Max(),
                longer == 0 ? 1 : (double)shared / longer, (double)sameFirst / queries.Length,
                QualityRow.Of("keyword, engine in process", ourRanks), QualityRow.Of("keyword, Lucene.Net in process", luceneRanks),
                textBytes, rawBytes, lucene.IndexBytes);
        }
    }

    /// <summary>Creates an index of <paramref name="shards"/> shards on the node, adds the items over HTTP, and runs
    /// every query as each kind of search; the index is dropped afterwards.</summary>
    private static async Task<QualityRow[]> QualityAsync(VectordClient client, VectorItem[] items, Query[] queries, int shards, int batch,
        TextWriter output, CancellationToken cancellationToken)
    {
        var name = $"hybrid-{shards}-{Guid.NewGuid():N}"[..24];
        var spec = new IndexSpec(SentenceEmbeddings.Dimension, Distance: IndexDistance.Cosine, Shards: shards,
            TextFields: [new IndexTextField("body", IndexTextLanguage.English)]);
        await client.CreateIndexAsync(name, spec, cancellationToken).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        for (var from = 0; from < items.Length; from += batch)
        {
            var slice = items.AsSpan(from, Math.Min(batch, items.Length - from)).ToArray();
            await client.AddAsync(name, [.. slice.Select(i => new IndexItem(i.Id, i.Vector, Encoding.UTF8.GetString(i.Metadata!)))], cancellationToken).ConfigureAwait(false);
        }
        var ingest = Stopwatch.GetElapsedTime(start).TotalSeconds;
        output.WriteLine(Invariant($"index       {shards} shard(s): {items.Length} items added over HTTP in {ingest:F1} s ({items.Length / ingest:F0} items/s)"));

        var kinds = new (string Label, Func<Query, Task<SearchHit[]>> Search)[]
        {
            ("dense", q => client.SearchAsync(name, new SearchQuery(q.Vector, K), cancellationToken)),
            ("keyword", q => client.SearchTextAsync(name, new TextQuery(q.Text), K, cancellationToken: cancellationToken)),
            ("hybrid rrf", q => client.SearchAsync(name, new SearchQuery(q.Vector, K, Text: new TextQuery(q.Text), Fusion: FusionKind.Rrf), cancellationToken)),
            ("hybrid weighted", q => client.SearchAsync(name, new SearchQuery(q.Vector, K, Text: new TextQuery(q.Text), Fusion: FusionKind.Weighted, Alpha: Alpha), cancellationToken)),
        };
        var rows = new QualityRow[kinds.Length];
        for (var k = 0; k < kinds.Length; k++)
        {
            var ranks = new int[queries.Length];
            var search = kinds[k].Search;
            start = Stopwatch.GetTimestamp();
            await Parallel.ForAsync(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (q, _) =>
            {
                var hits = await search(queries[q]).ConfigureAwait(false);
                ranks[q] = Array.FindIndex(hits, h => h.Id == queries[q].Answer) + 1;
            }).ConfigureAwait(false);
            rows[k] = QualityRow.Of(kinds[k].Label, ranks, queries.Length / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        await client.DeleteIndexAsync(name, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private HybridResult Report(TextWriter output, PackageCorpus corpus, int seed, double embedSeconds, bool cached, EngineFigures engine,
        QualityRow[] oneShard, QualityRow[] sharded, int shards, long rawBytes)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"Quality over HTTP ({corpus.Queries.Length} queries; the right answer is the query's own package; recall@{K} = share found in the top {K}, MRR@{K} = mean 1/rank)"));
        var quality = new TextTable(new("search", 30, false), new("recall@10 1 shard", 17), new("MRR@10 1 shard", 14),
            new(Invariant($"recall@10 {shards} shards"), 18), new(Invariant($"MRR@10 {shards} shards"), 15), new("qps 1 shard", 11));
        quality.WriteHeader(output);
        for (var i = 0; i < oneShard.Length; i++)
        {
            quality.WriteRow(output, oneShard[i].Label, F3(oneShard[i].Recall), F3(oneShard[i].Mrr), F3(sharded[i].Recall), F3(sharded[i].Mrr), Invariant($"{oneShard[i].Qps:F0}"));
        }
        foreach (var row in new[] { engine.OursInProcess, engine.LuceneInProcess })
        {
            quality.WriteRow(output, row.Label, F3(row.Recall), F3(row.Mrr), "", "", "");
        }
        var bestHalf = Math.Max(oneShard[0].Recall, oneShard[1].Recall);
        var bestHalfMrr = Math.Max(oneShard[0].Mrr, oneShard[1].Mrr);
        var hybridBeats = oneShard[2].Recall > bestHalf && oneShard[2].Mrr > bestHalfMrr;
        var weightedBeats = oneShard[3].Recall > bestHalf && oneShard[3].Mrr > bestHalfMrr;
        output.WriteLine(Invariant($"hybrid above both halves (recall and MRR, 1 shard): rrf {Verdict(hybridBeats)}, weighted {Verdict(weightedBeats)}"));

        output.WriteLine();
        var speedRatio = engine.OursQps / engine.LuceneQps;
        var memoryRatio = (double)engine.TextBytes / rawBytes;
        var figures = new TextTable(new("figure", 34, false), new("value", 24), new("goal", 8), new("verdict", 7, false));
        figures.WriteHeader(output);
        figures.WriteRow(output, "BM25 qps, engine (best round)", Invariant($"{engine.OursQps:F0}"), "", "");
        figures.WriteRow(output, Invariant($"BM25 qps, Lucene.Net {engine.LuceneVersion}"), Invariant($"{engine.LuceneQps:F0}"), "", "");
        figures.WriteRow(output, "BM25 qps ratio engine / Lucene", Invariant($"{speedRatio:F2}x"), Invariant($">={SpeedGoal:F1}x"), Verdict(speedRatio >= SpeedGoal));
        figures.WriteRow(output, "  per round", string.Join(" ", engine.OursRounds.Zip(engine.LuceneRounds, (a, b) => Invariant($"{a / b:F2}"))), "", "");
        figures.WriteRow(output, "top-10 overlap engine vs Lucene", Invariant($"{engine.Overlap:P1}"), "", "");
        figures.WriteRow(output, "same first result", Invariant($"{engine.SameFirst:P1}"), "", "");
        figures.WriteRow(output, "text index (TextMemoryBytes)", Invariant($"{engine.TextBytes / (1024.0 * 1024.0):F1} MiB"), "", "");
        figures.WriteRow(output, "raw UTF-8 text", Invariant($"{rawBytes / (1024.0 * 1024.0):F1} MiB"), "", "");
        figures.WriteRow(output, "text index / raw text", Invariant($"{memoryRatio:F2}x"), Invariant($"<={MemoryGoal:F1}x"), Verdict(memoryRatio <= MemoryGoal));
        figures.WriteRow(output, "Lucene.Net index files / raw text", Invariant($"{(double)engine.LuceneIndexBytes / rawBytes:F2}x"), "", "");
        figures.WriteRow(output, "embedding time", Invariant($"{embedSeconds:F1} s{(cached ? " (cached)" : "")}"), "", "");

        return new HybridResult(Name, corpus.Source, corpus.Packages, corpus.Eligible, corpus.Documents.Length, corpus.Queries.Length, seed, shards,
            SentenceEmbeddings.Model, Math.Round(embedSeconds, 2),
            [.. oneShard.Select(Json)], [.. sharded.Select(Json)], Json(engine.OursInProcess), Json(engine.LuceneInProcess),
            Math.Round(engine.OursQps, 1), Math.Round(engine.LuceneQps, 1), Math.Round(speedRatio, 3), SpeedGoal, speedRatio >= SpeedGoal,
            Math.Round(engine.Overlap, 4), Math.Round(engine.SameFirst, 4), engine.TextBytes, rawBytes, Math.Round(memoryRatio, 3), MemoryGoal,
            memoryRatio <= MemoryGoal, hybridBeats, LoadAverage());
    }

    private static HybridQuality Json(QualityRow row) => new(row.Label, Math.Round(row.Recall, 4), Math.Round(row.Mrr, 4));

    private static string F3(double value) => Invariant($"{value:F3}");

    /// <summary>An item's metadata: the text field and the package's name.</summary>
    private sealed record Metadata(
        [property: System.Text.Json.Serialization.JsonPropertyName("body")] string Body,
        [property: System.Text.Json.Serialization.JsonPropertyName("package")] string Package);

    /// <summary>A query: the id of its right answer, its words and its embedding.</summary>
    private sealed record Query(string Answer, string Text, float[] Vector);

    /// <summary>Recall@10 and MRR@10 of one kind of search, from the 1-based rank of each query's answer (0 = not in the top 10).</summary>
    private sealed record QualityRow(string Label, double Recall, double Mrr, double Qps)
    {
        public static QualityRow Of(string label, int[] ranks, double qps = double.NaN) =>
            new(label, ranks.Count(r => r > 0) / (double)ranks.Length, ranks.Sum(r => r > 0 ? 1.0 / r : 0) / ranks.Length, qps);
    }

    private sealed record EngineFigures(double EngineBuildSeconds, double LuceneBuildSeconds, string LuceneVersion, double[] OursRounds, double[] LuceneRounds,
        double OursQps, double LuceneQps, double Overlap, double SameFirst, QualityRow OursInProcess, QualityRow LuceneInProcess,
        long TextBytes, long RawBytes, long LuceneIndexBytes);
}
