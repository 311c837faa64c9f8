using System.Runtime.InteropServices;
using Vectord.Hnsw.Filtering;
using Vectord.Hnsw.Text;

namespace Vectord.Hnsw;

/// <summary>One result of a text search: BM25 score, higher is better.</summary>
public readonly record struct TextHit(string Id, float Score, byte[]? Metadata);

public sealed partial class HnswIndex
{
    /// <summary>The index's text fields (null when it has none): kept with the metadata, in the writer's turn.</summary>
    private TextIndex? _text;

    /// <summary>The text fields and their scoring, or null when the index has none.</summary>
    public TextOptions? TextOptions => _text?.Options;

    /// <summary>Bytes the text index holds (part of <see cref="MemoryBytes"/>).</summary>
    public long TextMemoryBytes
    {
        get
        {
            using var reading = _gate.Read();
            return _text?.MemoryBytes ?? 0;
        }
    }

    /// <summary>
    /// Makes the text of <paramref name="options"/>' fields searchable (or, for null, stops): builds the text index
    /// from every live item's metadata, then keeps it with each later write. A text index is not saved with the
    /// index: whoever loads one calls this again (it costs one pass over the metadata). Call it as the writer.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public void IndexText(TextOptions? options)
    {
        var text = options is null ? null : new TextIndex(options);
        if (text is not null)
        {
            using var reading = _gate.Read();   // builds beside searches; the writer is the caller
            var entries = new List<PayloadEntry>();
            for (int slot = 0; slot < _slotCount; slot++)
            {
                if (_metadata[slot] is { } metadata && !_deleted[slot])
                {
                    PayloadDocument.Extract(metadata, entries);
                    text.Add(slot, CollectionsMarshal.AsSpan(entries));
                }
            }
        }
        using var writing = Exclusive();
        _text = text;
        _options = _options with { Text = options };
    }

    /// <summary>
    /// The <paramref name="k"/> live items scoring highest for <paramref name="query"/> by BM25 over
    /// <paramref name="fields"/> (every text field when null) among those matching <paramref name="filter"/> (all
    /// when null), best first; only items holding at least one of the query's terms score.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index has no text fields.</exception>
    /// <exception cref="ArgumentException">A field is not a text field.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TextHit[] SearchText(string query, int k, IReadOnlyList<string>? fields = null, PayloadFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Graph.ReadWriteGate.ReadScope reading;
        Func<int, bool>? accept = null;
        if (filter is not null)
        {
            var matches = Select(filter, cancellationToken, out reading);
            accept = matches.Contains;
        }
        else
        {
            reading = _gate.Read();
        }
        using var read = reading;
        var text = _text ?? throw new InvalidOperationException("the index has no text fields");
        var top = text.Search(query, k, fields, accept, cancellationToken);
        var hits = new TextHit[top.Length];
        for (int i = 0; i < top.Length; i++)
        {
            int slot = top[i].Slot;
            hits[i] = new TextHit(_ids[slot]!, top[i].Score, _metadata[slot]);
        }
        return hits;
    }
}
