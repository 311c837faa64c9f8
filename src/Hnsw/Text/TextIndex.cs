using System.Collections.Concurrent;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Text;

/// <summary>A metadata field whose text an index makes searchable by words.</summary>
/// <param name="Path">The dotted path of the field (as in filters); a string there is its text, an array of strings
/// is one text of all of them.</param>
/// <param name="Language">How its words become terms.</param>
public sealed record TextField(string Path, TextLanguage Language = TextLanguage.None);

/// <summary>The text fields of an index and the BM25 parameters that score them.</summary>
/// <param name="Fields">The fields, each path once.</param>
/// <param name="K1">How fast repeats of a term stop adding to the score (term-frequency saturation), ≥ 0.</param>
/// <param name="B">How much a long text's score is lowered for its length, 0–1.</param>
public sealed record TextOptions(TextField[] Fields, double K1 = TextOptions.DefaultK1, double B = TextOptions.DefaultB)
{
    /// <summary>BM25's usual k1.</summary>
    public const double DefaultK1 = 1.2;

    /// <summary>BM25's usual b.</summary>
    public const double DefaultB = 0.75;

    /// <summary>What is wrong with these options, or null: no field, a path twice, an empty path, k1 or b out of range.</summary>
    public string? Check()
    {
        if (Fields is null || Fields.Length == 0) { return "at least one text field is required"; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (field is null || string.IsNullOrEmpty(field.Path)) { return "a text field's path is empty"; }
            if (!seen.Add(field.Path)) { return $"text field '{field.Path}' is named twice"; }
            if (!Enum.IsDefined(field.Language)) { return $"text field '{field.Path}' has an unknown language"; }
        }
        if (!double.IsFinite(K1) || K1 < 0) { return "bm25 k1 must be a finite number ≥ 0"; }
        return !double.IsFinite(B) || B is < 0 or > 1 ? "bm25 b must be between 0 and 1" : null;
    }
}

/// <summary>A slot and its BM25 score.</summary>
public readonly record struct ScoredSlot(int Slot, float Score);

/// <summary>
/// The full-text index of an index's text fields: an inverted index per field (<see cref="FieldText"/>), kept with
/// the items' metadata, that scores items against a query's words by BM25 (Robertson et al.; the form with
/// idf = ln(1 + (N − n + 0.5) / (n + 0.5)), never negative) and finds the items holding every word of a text.
/// </summary>
/// <remarks>
/// Thread safety: one writer at a time calls <see cref="Add"/> and <see cref="Remove"/> while no reader runs; any
/// number of threads may search and match at once, which change nothing shared (each search takes a score array of
/// its own from a pool).
/// </remarks>
public sealed class TextIndex
{
    private readonly Dictionary<string, FieldText> _fields = new(StringComparer.Ordinal);
    private readonly FieldText[] _ordered;
    private readonly List<string> _terms = [];
    private readonly ConcurrentBag<Scores> _scores = [];

    /// <summary>An empty index of <paramref name="options"/>' fields.</summary>
    /// <exception cref="ArgumentException">The options are invalid (<see cref="TextOptions.Check"/>).</exception>
    public TextIndex(TextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Check() is { } problem) { throw new ArgumentException(problem, nameof(options)); }
        Options = options;
        _ordered = [.. options.Fields.Select(f => new FieldText(f))];
        foreach (var field in _ordered) { _fields.Add(field.Field.Path, field); }
    }

    /// <summary>The fields and the scoring parameters.</summary>
    public TextOptions Options { get; }

    /// <summary>Managed bytes held by the fields' indexes and by the score arrays kept for searches (one per search
    /// that ran at once, each as long as the slots it scored).</summary>
    public long MemoryBytes => _ordered.Sum(f => f.MemoryBytes) + _scores.Sum(s => s.MemoryBytes);

    /// <summary>Whether <paramref name="path"/> is a text field.</summary>
    public bool HasField(string path) => _fields.ContainsKey(path);

    /// <summary>Distinct terms held in <paramref name="path"/>'s index; 0 for a path that is not a text field.</summary>
    public int TermCount(string path) => _fields.TryGetValue(path, out var field) ? field.TermCount : 0;

    /// <summary>Indexes the texts among <paramref name="entries"/> (an item's metadata, see
    /// <see cref="PayloadDocument.Extract"/>) as those of <paramref name="slot"/>, which holds none yet.</summary>
    public void Add(int slot, ReadOnlySpan<PayloadEntry> entries)
    {
        foreach (var field in _ordered)
        {
            field.Add(slot, TermsOf(field.Field, entries));
        }
    }

    /// <summary>Stops indexing <paramref name="slot"/>, added with <paramref name="entries"/>.</summary>
    public void Remove(int slot, ReadOnlySpan<PayloadEntry> entries)
    {
        foreach (var field in _ordered)
        {
            field.Remove(slot, TermsOf(field.Field, entries));
        }
    }

    private List<string> TermsOf(TextField field, ReadOnlySpan<PayloadEntry> entries)
    {
        _terms.Clear();
        var analyzer = TextAnalyzer.For(field.Language);
        foreach (ref readonly var entry in entries)
        {
            if (entry.Kind == PayloadEntryKind.Value && entry.Value.Kind == PayloadValueKind.Text
                && string.Equals(entry.Path, field.Path, StringComparison.Ordinal))
            {
                analyzer.Analyze(entry.Value.Text, _terms);
            }
        }
        return _terms;
    }

    /// <summary>
    /// The <paramref name="k"/> slots scoring highest for <paramref name="query"/> by BM25, summed over
    /// <paramref name="fields"/> (every text field when null), best first; only slots holding at least one of the
    /// query's terms score, and only those <paramref name="accept"/> accepts (all when null) are returned. Ties go to
    /// the lower slot.
    /// </summary>
    /// <exception cref="ArgumentException">A field is not a text field.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ScoredSlot[] Search(string query, int k, IReadOnlyList<string>? fields = null, Func<int, bool>? accept = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (k <= 0) { return []; }
        var scores = Rent();
        try
        {
            foreach (var field in Resolve(fields))
            {
                Accumulate(field, query, scores, cancellationToken);
            }
            return scores.Top(k, accept);
        }
        finally
        {
            scores.Clear();
            _scores.Add(scores);
        }
    }

    /// <summary>Adds to <paramref name="into"/> the slots whose text in <paramref name="path"/> holds every term of
    /// <paramref name="text"/>; none when the text has no term (or the path is not a text field).</summary>
    public void Match(string path, string text, SlotSet into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!_fields.TryGetValue(path, out var field)) { return; }
        var terms = TextAnalyzer.For(field.Field.Language).DistinctTerms(text);
        if (terms.Length == 0) { return; }
        var postings = new TermPostings[terms.Length];
        for (int i = 0; i < terms.Length; i++)
        {
            if (!field.TryGetPostings(terms[i], out postings[i])) { return; }
        }
        Array.Sort(postings, (a, b) => a.Count.CompareTo(b.Count));   // the rarest term bounds the walk
        // Every list is in slot order: walk them side by side, each reader only forward.
        var readers = new PostingReader[postings.Length];
        var current = new int[postings.Length];
        for (int t = 0; t < postings.Length; t++)
        {
            readers[t] = postings[t].Read();
            current[t] = -1;
        }
        while (readers[0].Next(out int slot, out _))
        {
            bool all = true;
            for (int t = 1; t < readers.Length && all; t++)
            {
                while (current[t] < slot && readers[t].Next(out int next, out _)) { current[t] = next; }
                all = current[t] == slot;
                if (current[t] < slot) { return; }   // a list ran out: no later slot can hold every term
            }
            if (all && slot < into.Capacity) { into.Add(slot); }
        }
    }

    private IEnumerable<FieldText> Resolve(IReadOnlyList<string>? fields)
    {
        if (fields is null || fields.Count == 0) { return _ordered; }
        var chosen = new List<FieldText>(fields.Count);
        foreach (var path in fields.Distinct(StringComparer.Ordinal))
        {
            chosen.Add(_fields.TryGetValue(path, out var field)
                ? field
                : throw new ArgumentException($"'{path}' is not a text field", nameof(fields)));
        }
        return chosen;
    }

    private void Accumulate(FieldText field, string query, Scores scores, CancellationToken cancellationToken)
    {
        if (field.DocumentCount == 0) { return; }
        double n = field.DocumentCount;
        double k1 = Options.K1, b = Options.B;
        double average = field.AverageLength;
        foreach (var term in TextAnalyzer.For(field.Field.Language).DistinctTerms(query))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!field.TryGetPostings(term, out var postings)) { continue; }
            double df = postings.Count;
            float weight = (float)(Math.Log(1 + ((n - df + 0.5) / (df + 0.5))) * (k1 + 1));
            float lengthScale = (float)(k1 * b / average), lengthBase = (float)(k1 * (1 - b));
            var reader = postings.Read();
            while (reader.Next(out int slot, out int frequency))
            {
                float tf = frequency;
                scores.Add(slot, weight * tf / (tf + lengthBase + (lengthScale * field.LengthOf(slot))));
            }
        }
    }

    private Scores Rent() => _scores.TryTake(out var scores) ? scores : new Scores();

    /// <summary>One search's running scores: by slot, with the slots touched so far (to select and to clear).</summary>
    private sealed class Scores
    {
        private float[] _bySlot = [];
        private int[] _touched = new int[256];
        private int _count;

        /// <summary>Bytes of the two arrays and the object.</summary>
        public long MemoryBytes => 48 + 24 + (4L * _bySlot.Length) + 24 + (4L * _touched.Length);

        public void Add(int slot, float score)
        {
            if (slot >= _bySlot.Length)
            {
                Array.Resize(ref _bySlot, Math.Max(slot + 1, 2 * _bySlot.Length));
            }
            if (_bySlot[slot] == 0)
            {
                if (_count == _touched.Length) { Array.Resize(ref _touched, 2 * _touched.Length); }
                _touched[_count++] = slot;
            }
            _bySlot[slot] += score;
        }

        public ScoredSlot[] Top(int k, Func<int, bool>? accept)
        {
            var best = new PriorityQueue<int, (float Score, int Slot)>(k + 1, Worst.Instance);
            for (int i = 0; i < _count; i++)
            {
                int slot = _touched[i];
                float score = _bySlot[slot];
                if (accept is not null && !accept(slot)) { continue; }
                if (best.Count < k) { best.Enqueue(slot, (score, slot)); }
                else if (best.TryPeek(out _, out var worst) && Worst.Instance.Compare((score, slot), worst) > 0)
                {
                    best.DequeueEnqueue(slot, (score, slot));
                }
            }
            var top = new ScoredSlot[best.Count];
            for (int i = top.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out int slot, out var key);
                top[i] = new ScoredSlot(slot, key.Score);
            }
            return top;
        }

        public void Clear()
        {
            if (_count > _bySlot.Length / 8) { Array.Clear(_bySlot); }
            else { for (int i = 0; i < _count; i++) { _bySlot[_touched[i]] = 0; } }
            _count = 0;
        }
    }

    /// <summary>Orders the worst first: lower score, then higher slot.</summary>
    private sealed class Worst : IComparer<(float Score, int Slot)>
    {
        public static readonly Worst Instance = new();

        public int Compare((float Score, int Slot) x, (float Score, int Slot) y)
        {
            int byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : y.Slot.CompareTo(x.Slot);
        }
    }
}
