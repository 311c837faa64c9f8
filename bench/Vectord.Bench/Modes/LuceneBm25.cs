using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Vectord.Bench.Data;

namespace Vectord.Bench.Modes;

/// <summary>
/// The reference keyword engine of the <c>hybrid</c> mode: Lucene.Net 4.8 over the same documents, in memory
/// (<see cref="RAMDirectory"/>, merged to one segment), English analysis (<see cref="EnglishAnalyzer"/>: standard
/// tokenizer, possessives, lowercase, the same English stop words, Porter stemming) and BM25 with k1 1.2 and b 0.75.
/// A query is its analysed words, each once, as SHOULD clauses of a <see cref="BooleanQuery"/>.
/// </summary>
internal sealed class LuceneBm25 : IDisposable
{
    private const LuceneVersion Compatibility = LuceneVersion.LUCENE_48;
    private const string Field = "body";

    private readonly Analyzer _analyzer = new EnglishAnalyzer(Compatibility);
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    /// <summary>The Lucene.Net release, e.g. <c>4.8.0-beta00018</c>.</summary>
    public static string Version { get; } =
        (typeof(IndexWriter).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "?").Split('+', ' ')[0];

    /// <summary>Indexes <paramref name="documents"/>, in order: document number i is <paramref name="documents"/>[i].</summary>
    public LuceneBm25(IReadOnlyList<PackageDocument> documents)
    {
        var similarity = new BM25Similarity(1.2f, 0.75f);
        var config = new IndexWriterConfig(Compatibility, _analyzer) { Similarity = similarity, OpenMode = OpenMode.CREATE };
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (var document in documents)
            {
                writer.AddDocument(new Document
                {
                    new StringField("id", document.Id, Lucene.Net.Documents.Field.Store.YES),
                    new TextField(Field, document.Body, Lucene.Net.Documents.Field.Store.NO),
                });
            }
            writer.ForceMerge(1);
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
    }

    /// <summary>Bytes of the index files.</summary>
    public long IndexBytes => _directory.GetSizeInBytes();

    /// <summary>The document numbers of the <paramref name="k"/> best matches of <paramref name="query"/>, best first.</summary>
    public int[] Search(string query, int k)
    {
        var clauses = new BooleanQuery();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var tokens = _analyzer.GetTokenStream(Field, query))
        {
            var term = tokens.AddAttribute<ICharTermAttribute>();
            tokens.Reset();
            while (tokens.IncrementToken())
            {
                var text = term.ToString();
                if (seen.Add(text)) { clauses.Add(new TermQuery(new Term(Field, text)), Occur.SHOULD); }
            }
            tokens.End();
        }
        if (clauses.Clauses.Count == 0) { return []; }
        var top = _searcher.Search(clauses, k).ScoreDocs;
        var documents = new int[top.Length];
        for (var i = 0; i < top.Length; i++) { documents[i] = top[i].Doc; }
        return documents;
    }

    /// <summary>The id stored with document number <paramref name="document"/>.</summary>
    public string IdOf(int document) => _searcher.Doc(document).Get("id");

    /// <inheritdoc/>
    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}
