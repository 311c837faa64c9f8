using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw;

public sealed partial class HnswIndex
{
    /// <summary>
    /// The first <paramref name="count"/> live items matching <paramref name="filter"/> (all when null) in the order of
    /// <paramref name="keys"/> (see <see cref="PayloadOrder"/>), as ids. Reads each candidate's metadata once, keeping
    /// the best <paramref name="count"/> in a heap: O(n log count) for n candidates.
    /// </summary>
    /// <exception cref="ArgumentException">No key.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public string[] OrderedIds(PayloadFilter? filter, IReadOnlyList<SortKey> keys, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) { throw new ArgumentException("a sort key is required", nameof(keys)); }
        if (count <= 0) { return []; }
        Graph.ReadWriteGate.ReadScope reading;
        SlotSet candidates;
        if (filter is null)
        {
            reading = _gate.Read();
            candidates = _live;
        }
        else
        {
            candidates = Select(filter, cancellationToken, out reading);
        }
        using var read = reading;
        var scratch = new List<PayloadEntry>();
        // The heap's first element is the worst kept: the order reversed.
        var kept = new PriorityQueue<(SortValue[] Values, string Id), (SortValue[] Values, string Id)>(
            Comparer<(SortValue[] Values, string Id)>.Create((a, b) => PayloadOrder.Compare(b.Values, b.Id, a.Values, a.Id, keys)));
        int seen = 0;
        foreach (int slot in candidates)
        {
            if ((++seen & 4095) == 0) { cancellationToken.ThrowIfCancellationRequested(); }
            var entry = (PayloadOrder.ValuesOf(_metadata[slot] ?? [], keys, scratch), _ids[slot]!);
            if (kept.Count < count) { kept.Enqueue(entry, entry); }
            else if (PayloadOrder.Compare(entry.Item1, entry.Item2, kept.Peek().Values, kept.Peek().Id, keys) < 0)
            {
                kept.DequeueEnqueue(entry, entry);
            }
        }
        var ids = new string[kept.Count];
        for (int i = ids.Length - 1; i >= 0; i--) { ids[i] = kept.Dequeue().Id; }
        return ids;
    }
}
