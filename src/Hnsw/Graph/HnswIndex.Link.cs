using System.Runtime.CompilerServices;
using Vectord.Hnsw.Distance;
using Vectord.Hnsw.Graph;

namespace Vectord.Hnsw;

// Linking one node into the graph (the paper's Algorithm 1 with the heuristic neighbour selection of Algorithm 4):
// the part of a build that every insert runs, on one thread or several. Batches and their publication: HnswIndex.Build.cs.
public sealed partial class HnswIndex
{
    private void InsertNode(int node)
    {
        if (_kind == DistanceKind.Euclidean)
        {
            InsertNode<L2Space>(node);
        }
        else
        {
            InsertNode<NegativeDotSpace>(node);
        }
    }

    /// <summary>Links a node whose vector and level are already stored (Algorithm 1). Safe to run on several
    /// threads at once while <see cref="_concurrent"/> is set.</summary>
    private void InsertNode<TSpace>(int node) where TSpace : struct, ISpace
    {
        int level = _levels[node];
        int entry;
        int top;
        lock (_entryLock)
        {
            entry = _entryPoint;
            top = _maxLevel;
            if (entry < 0)
            {
                using var writing = Exclusive();
                _entryPoint = node;
                _maxLevel = level;
                return;
            }
        }
        bool holdsEntry = false;
        if (level > top)
        {
            // A new top node: hold the entry lock for the whole insert so the entry point moves only once it is linked.
            Monitor.Enter(_entryLock, ref holdsEntry);
            entry = _entryPoint;
            top = _maxLevel;
        }
        try
        {
            Connect<TSpace>(node, level, entry, top, writerInside: false);
            if (holdsEntry && level > _maxLevel)
            {
                // Together, so that no search starts from the new entry at the old top level or the reverse.
                using var writing = Exclusive();
                _entryPoint = node;
                _maxLevel = level;
            }
        }
        finally
        {
            if (holdsEntry)
            {
                Monitor.Exit(_entryLock);
            }
        }
    }

    /// <summary>Finds the neighbours of <paramref name="node"/> on each of its layers starting from
    /// <paramref name="entry"/>, sets its links and links back to it.</summary>
    /// <remarks>The node's own links are set on every layer before any other node links to it: in a parallel build
    /// the back-links make it reachable, and a node reached on an upper layer must already have its lower-layer
    /// links, or a concurrent insert descending onto it would search an empty neighbourhood (and its own back-link
    /// there would later be overwritten).</remarks>
    /// <param name="node">The node to link.</param>
    /// <param name="level">Its top layer.</param>
    /// <param name="entry">Where the search for its neighbours starts.</param>
    /// <param name="top">The entry's top layer.</param>
    /// <param name="writerInside">True when the caller holds the gate as the writer already (a replaced vector).</param>
    private void Connect<TSpace>(int node, int level, int entry, int top, bool writerInside) where TSpace : struct, ISpace
    {
        SearchScratch scratch = SearchScratch.Current;
        ref float vector = ref VectorRef(node);
        float entryDistance;
        int current = entry;
        if (top > level)
        {
            var floats = FloatDistanceTo<TSpace>(ref vector);
            current = GreedyDescend(ref floats, entry, top, level + 1, node, out entryDistance);
        }
        else
        {
            entryDistance = entry == node ? float.PositiveInfinity : TSpace.Distance(ref vector, ref VectorRef(entry), (nuint)_dim);
        }

        int highest = Math.Min(level, top);
        Span<Candidate> chosen = SearchScratch.Take(ref scratch.Chosen, (highest + 1) * _m);
        Span<int> chosenCount = stackalloc int[highest + 1];
        for (int l = highest; l >= 0; l--)
        {
            SearchLayerBuild<TSpace>(ref vector, current, entryDistance, l, node, scratch);
            ref CandidateHeap<FarthestFirst> results = ref scratch.Results;
            Span<Candidate> sorted = SearchScratch.Take(ref scratch.Sorted, results.Count);
            for (int i = sorted.Length - 1; i >= 0; i--)
            {
                sorted[i] = results.Pop();
            }
            if (sorted.IsEmpty)
            {
                chosenCount[l] = 0;
                continue;
            }
            chosenCount[l] = SelectNeighbours<TSpace>(sorted, chosen.Slice(l * _m, _m));
            current = sorted[0].Node;
            entryDistance = sorted[0].Distance;
        }
        // The search above only read the graph; changing it is the writer's turn in the gate.
        using var writing = writerInside ? default : Exclusive();
        for (int l = highest; l >= 0; l--)
        {
            SetLinks(node, l, chosen.Slice(l * _m, chosenCount[l]));
        }
        for (int l = highest; l >= 0; l--)
        {
            foreach (Candidate c in chosen.Slice(l * _m, chosenCount[l]))
            {
                AddLink<TSpace>(c.Node, node, l, c.Distance, scratch);
            }
        }
    }

    private void SetLinks(int node, int level, ReadOnlySpan<Candidate> neighbours)
    {
        bool taken = false;
        if (_concurrent)
        {
            Monitor.Enter(LockOf(node), ref taken);
        }
        try
        {
            Touched(node, level);
            Span<int> block = LinkBlock(node, level);
            block[0] = neighbours.Length;
            for (int i = 0; i < neighbours.Length; i++)
            {
                block[i + 1] = neighbours[i].Node;
            }
        }
        finally
        {
            if (taken)
            {
                Monitor.Exit(LockOf(node));
            }
        }
    }

    /// <summary>Adds <paramref name="source"/> to the links of <paramref name="target"/> on <paramref name="level"/>,
    /// re-selecting the target's neighbours with the heuristic when its list is full.</summary>
    private void AddLink<TSpace>(int target, int source, int level, float distance, SearchScratch scratch) where TSpace : struct, ISpace
    {
        bool taken = false;
        if (_concurrent)
        {
            Monitor.Enter(LockOf(target), ref taken);
        }
        try
        {
            Span<int> block = LinkBlock(target, level);
            int count = block[0];
            Span<int> current = block.Slice(1, count);
            if (current.Contains(source))
            {
                return;
            }
            int max = MaxLinks(level);
            Touched(target, level);
            if (count < max)
            {
                block[count + 1] = source;
                block[0] = count + 1;
                return;
            }
            Span<Candidate> candidates = SearchScratch.Take(ref scratch.PruneCandidates, count + 1);
            ref float targetVector = ref VectorRef(target);
            for (int i = 0; i < count; i++)
            {
                candidates[i] = new Candidate(TSpace.Distance(ref targetVector, ref VectorRef(current[i]), (nuint)_dim), current[i]);
            }
            candidates[count] = new Candidate(distance, source);
            SortByDistance(candidates);
            Span<Candidate> selected = SearchScratch.Take(ref scratch.PruneSelected, max);
            int n = SelectNeighbours<TSpace>(candidates, selected);
            block[0] = n;
            for (int i = 0; i < n; i++)
            {
                block[i + 1] = selected[i].Node;
            }
        }
        finally
        {
            if (taken)
            {
                Monitor.Exit(LockOf(target));
            }
        }
    }

    private static void SortByDistance(Span<Candidate> candidates)
    {
        // Insertion sort: the lists are short (at most 2M + 1 entries).
        for (int i = 1; i < candidates.Length; i++)
        {
            Candidate c = candidates[i];
            int j = i - 1;
            while (j >= 0 && candidates[j].Distance > c.Distance)
            {
                candidates[j + 1] = candidates[j];
                j--;
            }
            candidates[j + 1] = c;
        }
    }

    /// <summary>The neighbour selection heuristic (Algorithm 4, no candidate extension, pruned ones not kept):
    /// walks <paramref name="sorted"/> (ascending) and keeps a candidate only when it is closer to the base
    /// node than to every neighbour kept so far. Returns how many were written to <paramref name="selected"/>
    /// (at most its length).</summary>
    private int SelectNeighbours<TSpace>(ReadOnlySpan<Candidate> sorted, Span<Candidate> selected) where TSpace : struct, ISpace
    {
        int max = selected.Length;
        if (sorted.Length <= max && sorted.Length <= 1)
        {
            sorted.CopyTo(selected);
            return sorted.Length;
        }
        int n = 0;
        foreach (Candidate c in sorted)
        {
            if (n == max)
            {
                break;
            }
            ref float vector = ref VectorRef(c.Node);
            bool keep = true;
            for (int i = 0; i < n; i++)
            {
                if (TSpace.Distance(ref vector, ref VectorRef(selected[i].Node), (nuint)_dim) < c.Distance)
                {
                    keep = false;
                    break;
                }
            }
            if (keep)
            {
                selected[n++] = c;
            }
        }
        return n;
    }

    /// <summary>Beam search on one layer while building (Algorithm 2): leaves the best ef_construction live nodes
    /// other than <paramref name="exclude"/> in <c>scratch.Results</c>.</summary>
    private void SearchLayerBuild<TSpace>(ref float query, int entry, float entryDistance, int level, int exclude, SearchScratch scratch)
        where TSpace : struct, ISpace
    {
        var filter = new LiveNodesBut(exclude);
        var beam = StartBeam(scratch, _efConstruction, entry, entryDistance, filter);
        var floats = FloatDistanceTo<TSpace>(ref query);
        ExpandBeam(ref floats, beam, filter, new LayerLinks(this, level, scratch.Visited));
    }

    /// <summary>The links of one layer as an insert reads them: copied under the node's lock while a parallel build
    /// runs (<see cref="ReadLinks"/>).</summary>
    private readonly struct LayerLinks(HnswIndex index, int level, VisitedSet visited) : INodeLinks
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Gather(int node, scoped Span<int> fresh)
        {
            Span<int> block = index.ReadLinks(node, level);
            int count = block[0];
            int n = 0;
            for (int j = 1; j <= count; j++)
            {
                int neighbour = block[j];
                if (visited.TryVisit(neighbour))
                {
                    fresh[n++] = neighbour;
                }
            }
            return n;
        }
    }
}
