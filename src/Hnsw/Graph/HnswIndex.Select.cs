using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw;

public sealed partial class HnswIndex
{
    /// <summary>How many live items match <paramref name="filter"/> (all of them when null).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public int CountMatching(PayloadFilter? filter, CancellationToken cancellationToken = default)
    {
        if (filter is null)
        {
            return Count;
        }
        SlotSet matches = Select(filter, cancellationToken, out var reading);
        reading.Dispose();
        return matches.Count;
    }

    /// <summary>The ids of the live items that match <paramref name="filter"/>, in internal order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public string[] MatchingIds(PayloadFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        SlotSet matches = Select(filter, cancellationToken, out var reading);
        using var read = reading;
        var ids = new string[matches.Count];
        int n = 0;
        foreach (int slot in matches)
        {
            ids[n++] = _ids[slot]!;
        }
        return ids;
    }

    /// <summary>A test of whether an id matched <paramref name="filter"/> when this was called: the filter is evaluated
    /// once, then each test is one lookup. An item added later is tested against the state it was called in.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Func<string, bool> Matcher(PayloadFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        SlotSet matches = Select(filter, cancellationToken, out var reading);
        reading.Dispose();
        return id =>
        {
            using var reading = _gate.Read();
            return _slots.TryGetValue(id, out int slot) && slot < matches.Capacity && matches.Contains(slot);
        };
    }

    /// <summary>
    /// Enters the gate as a reader and returns the live slots matching <paramref name="filter"/>, the gate still
    /// held by <paramref name="reading"/> (the caller disposes it). Writes do not wait behind an evaluation: before
    /// each condition it checks for a writer waiting, and if one is, it leaves the gate, lets the write in and starts
    /// again, up to <see cref="MaxWriterYields"/> times; after that it finishes holding the gate, so that a steady
    /// stream of writes cannot keep it from ever ending (a write then waits for one evaluation, which the filter cost
    /// budget bounds). It checks <paramref name="cancellationToken"/> at the same points.
    /// </summary>
    private SlotSet Select(PayloadFilter filter, CancellationToken cancellationToken, out Graph.ReadWriteGate.ReadScope reading)
    {
        int yields = 0;
        Action check = () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (yields < MaxWriterYields && _gate.WriterWaiting)
            {
                throw new WriterWaitingException();
            }
        };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reading = _gate.Read();
            try
            {
                return _payload.Evaluate(filter, _live, id => _slots.TryGetValue(id, out int slot) ? slot : -1, check, _text);
            }
            catch (WriterWaitingException)
            {
                reading.Dispose();   // Read() waits for the writer; then the evaluation starts again
                yields++;
            }
            catch
            {
                reading.Dispose();
                throw;
            }
        }
    }

    /// <summary>How many times one evaluation starts again for writers before it finishes regardless (see <see cref="Select"/>).</summary>
    internal const int MaxWriterYields = 4;

    /// <summary>Stops an evaluation for a writer waiting at the gate (see <see cref="Select"/>).</summary>
    private sealed class WriterWaitingException : Exception;
}
