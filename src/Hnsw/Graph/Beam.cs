using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw.Graph;

/// <summary>
/// One beam search (the paper's Algorithm 2) in a thread's <see cref="SearchScratch"/>: the candidates still to
/// expand, nearest first, and the best <c>ef</c> accepted nodes so far, farthest first, whose worst distance bounds
/// what the beam still admits. Queries, filtered queries and inserts seed it, then expand it with
/// <c>HnswIndex.ExpandBeam</c>; the results are left in <see cref="SearchScratch.Results"/>.
/// </summary>
internal ref struct Beam
{
    private readonly ref CandidateHeap<NearestFirst> _candidates;
    private readonly ref CandidateHeap<FarthestFirst> _results;
    private readonly int _ef;
    private float _bound;

    /// <summary>Starts a beam of width <paramref name="ef"/>: a new traversal of <paramref name="slotCount"/> slots
    /// in <c>scratch.Visited</c>, no candidates, no results.</summary>
    public Beam(SearchScratch scratch, int slotCount, int ef)
    {
        scratch.Visited.Reset(slotCount);
        _candidates = ref scratch.Candidates;
        _results = ref scratch.Results;
        _candidates.Clear();
        _results.Clear();
        _ef = ef;
        _bound = float.PositiveInfinity;
    }

    /// <summary>Whether a node at <paramref name="distance"/> belongs in the beam: it holds fewer than ef results,
    /// or the node is nearer than the worst of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Admits(float distance) => _results.Count < _ef || distance < _bound;

    /// <summary>Takes a node as a candidate to expand and, when <paramref name="accepted"/>, as a result (the worst
    /// result dropping out past ef).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(float distance, int node, bool accepted)
    {
        _candidates.Push(distance, node);
        if (accepted)
        {
            _results.Push(distance, node);
            if (_results.Count > _ef)
            {
                _results.Pop();
            }
            _bound = _results.Top.Distance;
        }
    }

    /// <summary>The nearest candidate, taken out to be expanded; false when none is left, or when it is farther than
    /// the worst result and the beam holds ef results or, unless <paramref name="mustFill"/>, fewer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(bool mustFill, out int node)
    {
        node = -1;
        if (_candidates.Count == 0)
        {
            return false;
        }
        Candidate current = _candidates.Top;
        if (current.Distance > _bound && (_results.Count == _ef || !mustFill))
        {
            return false;
        }
        _candidates.Pop();
        node = current.Node;
        return true;
    }
}

/// <summary>Where a beam search goes from a node: the node's neighbours on the layer (or subgraph) it searches.
/// Implemented by structs, so the search loop is compiled once per kind with the gathering inlined.</summary>
internal interface INodeLinks
{
    /// <summary>Writes the neighbours of <paramref name="node"/> not visited yet in this traversal to
    /// <paramref name="fresh"/> (at most its length), marks them visited, and returns how many there are.</summary>
    int Gather(int node, scoped Span<int> fresh);
}

/// <summary>The layer-0 links of a graph no insert is changing (a query's view), read in place, with the visited
/// marks and epoch of the current traversal hoisted out of the search loop.</summary>
internal readonly ref struct Layer0Links : INodeLinks
{
    private readonly ref int _links;
    private readonly nint _stride;
    private readonly ref byte _marks;
    private readonly byte _epoch;

    /// <summary>Reads <paramref name="links"/> (blocks of <paramref name="stride"/>: a count, then the slots) and
    /// marks in <paramref name="visited"/>, whose traversal has started.</summary>
    public Layer0Links(int[] links, int stride, VisitedSet visited)
    {
        _links = ref MemoryMarshal.GetArrayDataReference(links);
        _stride = stride;
        _marks = ref MemoryMarshal.GetArrayDataReference(visited.Marks);
        _epoch = visited.Epoch;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Gather(int node, scoped Span<int> fresh)
    {
        ref int block = ref Unsafe.Add(ref _links, node * _stride);
        ref int freshRef = ref MemoryMarshal.GetReference(fresh);
        int count = block;
        int n = 0;
        for (int j = 1; j <= count; j++)
        {
            int neighbour = Unsafe.Add(ref block, j);
            ref byte mark = ref Unsafe.Add(ref _marks, neighbour);
            if (mark != _epoch)
            {
                mark = _epoch;
                Unsafe.Add(ref freshRef, n++) = neighbour;
            }
        }
        return n;
    }
}
