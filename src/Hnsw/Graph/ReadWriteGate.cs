namespace Vectord.Hnsw.Graph;

/// <summary>
/// Many readers or one writer, writers first: once a writer waits, new readers wait behind it, so a stream of
/// searches cannot starve an insert. Entering and leaving go through one monitor, whose enter and exit are full
/// fences: everything a writer stored before <see cref="ExitWrite"/> is visible to every reader that enters after.
/// Not reentrant.
/// </summary>
internal sealed class ReadWriteGate
{
    private readonly object _sync = new();
    private int _readers;
    private int _writersWaiting;
    private bool _writing;

    /// <summary>Whether a writer waits to enter: a long reader may leave to let it in (see
    /// <see cref="HnswIndex"/>'s filter evaluation).</summary>
    public bool WriterWaiting => Volatile.Read(ref _writersWaiting) > 0;

    /// <summary>Enters as a reader; dispose the scope to leave.</summary>
    public ReadScope Read()
    {
        lock (_sync)
        {
            while (_writing || _writersWaiting > 0)
            {
                Monitor.Wait(_sync);
            }
            _readers++;
        }
        return new ReadScope(this);
    }

    /// <summary>Enters as the writer, once the readers inside have left; dispose the scope to leave.</summary>
    public WriteScope Write()
    {
        lock (_sync)
        {
            _writersWaiting++;
            while (_writing || _readers > 0)
            {
                Monitor.Wait(_sync);
            }
            _writersWaiting--;
            _writing = true;
        }
        return new WriteScope(this);
    }

    private void ExitRead()
    {
        lock (_sync)
        {
            if (--_readers == 0 && _writersWaiting > 0)
            {
                Monitor.PulseAll(_sync);
            }
        }
    }

    private void ExitWrite()
    {
        lock (_sync)
        {
            _writing = false;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>A reader inside the gate.</summary>
    internal readonly struct ReadScope(ReadWriteGate gate) : IDisposable
    {
        public void Dispose() => gate.ExitRead();
    }

    /// <summary>The writer inside the gate; the default value (no gate) is a scope that holds nothing, for code that
    /// runs where the writer is inside already.</summary>
    internal readonly struct WriteScope(ReadWriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?.ExitWrite();
    }
}
