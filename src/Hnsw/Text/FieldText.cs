using System.Runtime.CompilerServices;

namespace Vectord.Hnsw.Text;

/// <summary>
/// The inverted index of one text field: per term, the slots holding it (<see cref="TermPostings"/>); per slot,
/// how many terms its text holds (its length, for BM25's length normalisation); and the totals BM25 needs (slots
/// with text, terms in all). Changed by one writer at a time while no reader runs (see <see cref="TextIndex"/>).
/// </summary>
internal sealed class FieldText(TextField text)
{
    private readonly TermTable _terms = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int[] _lengths = [];

    /// <summary>The field.</summary>
    public TextField Field => text;

    /// <summary>Slots whose text in this field holds at least one term.</summary>
    public int DocumentCount { get; private set; }

    /// <summary>Terms in the field's text over all slots, repeats included.</summary>
    public long TotalLength { get; private set; }

    /// <summary>The mean length of a slot's text, over those with any; 0 when none has.</summary>
    public double AverageLength => DocumentCount == 0 ? 0 : (double)TotalLength / DocumentCount;

    /// <summary>Distinct terms held.</summary>
    public int TermCount => _terms.Count;

    /// <summary>Managed bytes held: the terms and their postings, the lengths.</summary>
    public long MemoryBytes => 64 + _terms.MemoryBytes + 24 + (4L * _lengths.Length);

    /// <summary>The postings of <paramref name="term"/>, or false when no slot holds it.</summary>
    public bool TryGetPostings(string term, out TermPostings postings)
    {
        ref var found = ref _terms.Find(term);
        postings = Unsafe.IsNullRef(ref found) ? default : found;
        return !Unsafe.IsNullRef(ref found);
    }

    /// <summary>The length of <paramref name="slot"/>'s text: 0 when it has none.</summary>
    public int LengthOf(int slot) => slot < _lengths.Length ? _lengths[slot] : 0;

    /// <summary>Indexes <paramref name="terms"/>, the analysed text of <paramref name="slot"/>, which holds none yet.</summary>
    public void Add(int slot, List<string> terms)
    {
        if (terms.Count == 0) { return; }
        _counts.Clear();
        foreach (var term in terms)
        {
            _counts[term] = _counts.GetValueOrDefault(term) + 1;
        }
        foreach (var (term, count) in _counts)
        {
            _terms.GetOrAdd(term).Add(slot, count);
        }
        if (slot >= _lengths.Length)
        {
            Array.Resize(ref _lengths, Math.Max(slot + 1, _lengths.Length + (_lengths.Length / 2)));
        }
        _lengths[slot] = terms.Count;
        DocumentCount++;
        TotalLength += terms.Count;
    }

    /// <summary>Stops indexing <paramref name="slot"/> under <paramref name="terms"/>, the terms it was added with.</summary>
    public void Remove(int slot, List<string> terms)
    {
        if (terms.Count == 0) { return; }
        foreach (var term in terms)
        {
            ref var postings = ref _terms.Find(term);
            if (Unsafe.IsNullRef(ref postings)) { continue; }   // a repeat, already removed
            postings.Remove(slot);
            if (postings.Count == 0) { _terms.Remove(term); }
        }
        _lengths[slot] = 0;
        DocumentCount--;
        TotalLength -= terms.Count;
    }
}
