using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vectord.Hnsw.Distance;
using Vectord.Hnsw.Graph;

namespace Vectord.Hnsw;

public sealed partial class HnswIndex
{
    /// <summary>The k nearest live items, by ascending distance. <paramref name="ef"/> ≤ 0 uses the index's EfSearch;
    /// at least k is used. Returns an empty array when <paramref name="k"/> ≤ 0 or the index is empty.</summary>
    /// <exception cref="ArgumentException">The query has the wrong dimension or a non-finite component.</exception>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef = 0)
    {
        if (_own.CheckQuery(query) is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }
        if (k <= 0)
        {
            return [];
        }
        using var reading = _gate.Read();
        _vectors.CheckLength();
        if (_liveCount == 0 || _entryPoint < 0)   // the first items published but not linked yet: nothing reachable
        {
            return [];
        }
        ef = Math.Max(ef <= 0 ? _options.EfSearch : ef, k);
        ref float q = ref MemoryMarshal.GetReference(query);
        var live = new LiveNodes(mustFill: _free.Count > 0);
        return _kind == DistanceKind.Euclidean ? SearchCore<L2Space, LiveNodes>(ref q, k, ef, live) : SearchCore<NegativeDotSpace, LiveNodes>(ref q, k, ef, live);
    }

    [SkipLocalsInit]
    private SearchHit[] SearchCore<TSpace, TFilter>(ref float query, int k, int ef, TFilter filter)
        where TSpace : struct, ISpace
        where TFilter : struct, INodeFilter
    {
        SearchScratch scratch = SearchScratch.Current;
        if (_quantizer is not null)
        {
            CodeDistance codes = CodeDistanceTo(ref query, scratch);
            int start = GreedyDescend(ref codes, _entryPoint, _maxLevel, 1, -1, out float startDistance);
            SearchLayer0(ref codes, start, startDistance, ef, scratch, filter);
            Rescore<TSpace>(ref query, k, ref scratch.Results, scratch);
            return TakeHits(ref query, k, ref scratch.Results);
        }
        var floats = FloatDistanceTo<TSpace>(ref query);
        int entry = GreedyDescend(ref floats, _entryPoint, _maxLevel, 1, -1, out float entryDistance);
        SearchLayer0(ref floats, entry, entryDistance, ef, scratch, filter);
        return TakeHits(ref query, k, ref scratch.Results);
    }

    /// <summary>Distances from <paramref name="query"/> to the float vectors.</summary>
    private FloatDistance<TSpace> FloatDistanceTo<TSpace>(ref float query) where TSpace : struct, ISpace =>
        new(ref query, ref _vectors.Reference, _dim);

    /// <summary>The best <paramref name="k"/> of <paramref name="results"/> as hits, nearest first (empties the heap).</summary>
    private SearchHit[] TakeHits(ref float query, int k, ref CandidateHeap<FarthestFirst> results)
    {
        while (results.Count > k)
        {
            results.Pop();
        }
        var hits = new SearchHit[results.Count];
        float queryNorm = _kind == DistanceKind.Cosine ? MathF.Sqrt(VectorDistance.Dot(ref query, ref query, (nuint)_dim)) : 0f;
        for (int i = hits.Length - 1; i >= 0; i--)
        {
            Candidate c = results.Pop();
            hits[i] = new SearchHit(_ids[c.Node]!, ReportedDistance(c.Distance, queryNorm), _metadata[c.Node]);
        }
        return hits;
    }

    /// <summary>Maps an internal ordering distance to the reported one.</summary>
    private float ReportedDistance(float d, float queryNorm) => _kind switch
    {
        DistanceKind.Euclidean => MathF.Sqrt(MathF.Max(d, 0f)),
        DistanceKind.Cosine => queryNorm > 0f ? Math.Clamp(1f + (d / queryNorm), 0f, 2f) : 1f,
        _ => d,
    };

    /// <summary>Greedy walk from <paramref name="start"/> down the layers <paramref name="fromLevel"/> … <paramref name="toLevel"/>;
    /// <paramref name="exclude"/> (a node being re-inserted) is walked through but never chosen.</summary>
    private int GreedyDescend<TDistance>(ref TDistance query, int start, int fromLevel, int toLevel, int exclude, out float distance)
        where TDistance : INodeDistance, allows ref struct
    {
        int current = start;
        float best = current == exclude ? float.PositiveInfinity : query.To(current);
        for (int level = fromLevel; level >= toLevel; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                Span<int> block = ReadLinks(current, level);
                int count = block[0];
                for (int j = 1; j <= count; j++)
                {
                    int candidate = block[j];
                    if (candidate == exclude)
                    {
                        continue;
                    }
                    float d = query.To(candidate);
                    if (d < best)
                    {
                        best = d;
                        current = candidate;
                        changed = true;
                    }
                }
            }
        }
        distance = best;
        return current;
    }

    /// <summary>The link block of a node, copied under its lock while a parallel build runs.</summary>
    private Span<int> ReadLinks(int node, int level)
    {
        Span<int> block = LinkBlock(node, level);
        if (!_concurrent)
        {
            return block;
        }
        Span<int> copy = SearchScratch.Take(ref SearchScratch.Current.Links, block.Length);
        lock (LockOf(node))
        {
            block[..(block[0] + 1)].CopyTo(copy);
        }
        return copy;
    }

    /// <summary>Beam search on layer 0 for queries: leaves the best <paramref name="ef"/> nodes that
    /// <paramref name="filter"/> accepts in <c>scratch.Results</c>. Nodes it refuses (tombstones, items a filter
    /// excludes) are expanded, since they route, but never enter the results; while the filter may refuse nodes
    /// (<see cref="INodeFilter.MustFill"/>) the search goes on until it holds ef accepted results or runs out of
    /// candidates, so the matches of a filter are found however far from the query they lie.</summary>
    private void SearchLayer0<TDistance, TFilter>(ref TDistance query, int entry, float entryDistance, int ef, SearchScratch scratch, TFilter filter)
        where TDistance : INodeDistance, allows ref struct
        where TFilter : struct, INodeFilter
    {
        var beam = StartBeam(scratch, ef, entry, entryDistance, filter);
        ExpandBeam(ref query, beam, filter, new Layer0Links(_links0, _stride0, scratch.Visited));
    }

    /// <summary>A beam of width <paramref name="ef"/> seeded with <paramref name="entry"/> (visited, a candidate, and a
    /// result if <paramref name="filter"/> accepts it).</summary>
    private Beam StartBeam<TFilter>(SearchScratch scratch, int ef, int entry, float entryDistance, TFilter filter)
        where TFilter : struct, INodeFilter
    {
        var beam = new Beam(scratch, _slotCount, ef);
        scratch.Visited.TryVisit(entry);
        beam.Add(entryDistance, entry, filter.Accepts(entry, ref MemoryMarshal.GetArrayDataReference(_deleted)));
        return beam;
    }

    /// <summary>Expands <paramref name="beam"/> from the nodes it was seeded with (Algorithm 2): takes the nearest
    /// candidate, offers each of its unvisited neighbours (as <paramref name="links"/> finds them), and stops as
    /// <see cref="Beam.TryNext"/> says. Each neighbour's data is prefetched one step ahead of its distance.</summary>
    [SkipLocalsInit]
    private void ExpandBeam<TDistance, TFilter, TLinks>(ref TDistance query, Beam beam, TFilter filter, TLinks links)
        where TDistance : INodeDistance, allows ref struct
        where TFilter : struct, INodeFilter
        where TLinks : INodeLinks, allows ref struct
    {
        ref bool deleted = ref MemoryMarshal.GetArrayDataReference(_deleted);
        Span<int> fresh = stackalloc int[_m0];
        ref int freshRef = ref MemoryMarshal.GetReference(fresh);
        bool mustFill = filter.MustFill;
        while (beam.TryNext(mustFill, out int node))
        {
            // The unvisited neighbours first, so their data can be prefetched one step ahead.
            int n = links.Gather(node, fresh);
            if (n == 0)
            {
                continue;
            }
            query.Prefetch(freshRef);
            for (int j = 0; j < n; j++)
            {
                int neighbour = Unsafe.Add(ref freshRef, j);
                if (j + 1 < n)
                {
                    query.Prefetch(Unsafe.Add(ref freshRef, j + 1));
                }
                float d = query.To(neighbour);
                if (beam.Admits(d))
                {
                    beam.Add(d, neighbour, filter.Accepts(neighbour, ref deleted));
                }
            }
        }
    }
}
