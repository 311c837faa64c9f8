using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vectord.Hnsw.Distance;
using Vectord.Hnsw.Filtering;
using Vectord.Hnsw.Graph;

namespace Vectord.Hnsw;

/// <summary>How a filtered search is answered.</summary>
public enum FilterStrategy
{
    /// <summary>No filter: the plain graph search.</summary>
    Unfiltered = 0,
    /// <summary>Few items match: every match is compared with the query (exact).</summary>
    Exact = 1,
    /// <summary>Many items match: the graph is searched, returning only matches.</summary>
    Graph = 2,
}

/// <summary>What the planner chose for a filter, and the number of live items that match it.</summary>
public readonly record struct FilterPlan(FilterStrategy Strategy, int Matches);

public sealed partial class HnswIndex
{
    /// <summary>The k nearest live items that match <paramref name="filter"/> (all items when null), by ascending
    /// distance; as many as match, up to k. See <see cref="Plan"/> for how the search is chosen.</summary>
    /// <exception cref="ArgumentException">The query has the wrong dimension or a non-finite component.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the
    /// filter was evaluated (it is checked before each of its conditions).</exception>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter, CancellationToken cancellationToken = default) =>
        Search(query, k, ef, filter, null, out _, cancellationToken);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int, int, PayloadFilter?, CancellationToken)"/>, also saying what the planner chose.</summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter, out FilterPlan plan) =>
        Search(query, k, ef, filter, null, out plan, default);

    /// <summary>As above, with the strategy forced when <paramref name="strategy"/> is set (to measure the planner).</summary>
    internal SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter, FilterStrategy? strategy, out FilterPlan plan,
        CancellationToken cancellationToken = default)
    {
        if (filter is null)
        {
            plan = new FilterPlan(FilterStrategy.Unfiltered, Count);
            return Search(query, k, ef);
        }
        if (_own.CheckQuery(query) is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }
        SlotSet matches = Select(filter, cancellationToken, out var reading);
        using var read = reading;
        return SearchAmong(query, k, ef, matches, strategy, out plan);
    }

    /// <summary>The k nearest live items among <paramref name="matches"/>, slots of this index or of the index this one
    /// is a companion of (the same slots, see HnswIndex.Spaces.cs); inside a read of this index's gate.</summary>
    private SearchHit[] SearchAmong(ReadOnlySpan<float> query, int k, int ef, SlotSet matches, FilterStrategy? strategy, out FilterPlan plan)
    {
        _vectors.CheckLength();
        int count = matches.Count;
        ef = Math.Max(ef <= 0 ? _options.EfSearch : ef, Math.Max(k, 1));
        plan = new FilterPlan(strategy ?? Plan(count, ef), count);
        if (k <= 0 || count == 0)
        {
            return [];
        }
        ref float q = ref MemoryMarshal.GetReference(query);
        bool l2 = _kind == DistanceKind.Euclidean;
        if (plan.Strategy == FilterStrategy.Exact || _entryPoint < 0)
        {
            return l2 ? ExactSearch<L2Space>(ref q, k, matches) : ExactSearch<NegativeDotSpace>(ref q, k, matches);
        }
        return l2 ? GraphSearch<L2Space>(ref q, k, ef, matches, count) : GraphSearch<NegativeDotSpace>(ref q, k, ef, matches, count);
    }

    /// <summary>Bytes the payload index holds (part of <see cref="MemoryBytes"/>).</summary>
    public long PayloadMemoryBytes
    {
        get
        {
            using var reading = _gate.Read();
            return _payload.MemoryBytes;
        }
    }

    /// <summary>
    /// The planner, from the match count the payload index gives. An exact scan costs one distance per match (on
    /// fashion-mnist, 60,000 × 784, about 1.3 µs each on the build machine: 601 matches 1,237 queries/s, 6,000
    /// matches 106–130); a filtered graph search costs about as much as a few hundred to a couple of thousand
    /// distances whatever the count (740–2,600 queries/s at 10% to 50%), so the scan wins up to about a thousand
    /// matches. Exact therefore up to <see cref="ExactScanMatches"/> matches (or 4·ef, for wide beams), and up to
    /// <see cref="ExactScanShare"/> of the index, so that a filter matching under 1% is always answered exactly:
    /// its matches are few enough that a graph search over them could miss some, and scanning them costs at most
    /// a hundredth of a full scan. Figures in bench/README.md ("Filter figures").
    /// </summary>
    private FilterStrategy Plan(int matches, int ef) =>
        matches <= Math.Max(Math.Max(ExactScanMatches, 4 * ef), (int)(_liveCount * ExactScanShare)) ? FilterStrategy.Exact : FilterStrategy.Graph;

    /// <summary>Matches up to which a filtered search is always exact.</summary>
    internal const int ExactScanMatches = 1000;

    /// <summary>Share of the index up to which a filtered search is exact.</summary>
    internal const double ExactScanShare = 0.01;

    /// <summary>Matches a sparse-neighbourhood search takes as seeds, spread over the set.</summary>
    internal const int MatchSeeds = 64;

    /// <summary>How much wider the beam of a sparse-neighbourhood search is than the query's ef.</summary>
    internal const int SparseBeamFactor = 12;

    /// <summary>
    /// The graph strategy. The query's region is read first, for free: the share of matches among the layer-0
    /// neighbours of the node the greedy descent ends on, against their share of the whole index.
    /// <list type="bullet">
    /// <item>Where matches are about as common near the query as overall, a plain beam search that returns only
    /// matches (<see cref="NodesIn"/>): the items it passes over are few, and it is the cheapest.</item>
    /// <item>Where they are rare near the query (the filter's matches lie elsewhere: the anti-correlated case), that
    /// search would wade through every excluded item nearer than the matches. Instead a beam search over the
    /// subgraph of the matches only, ACORN-style (<see cref="GatherMatches"/>), seeded from the matches around the
    /// entry and from <see cref="MatchSeeds"/> matches spread over the set, with a beam <see cref="SparseBeamFactor"/>
    /// times wider: the subgraph of a sparse filter has more local minima than the whole graph.</item>
    /// </list>
    /// </summary>
    private SearchHit[] GraphSearch<TSpace>(ref float query, int k, int ef, SlotSet matches, int count) where TSpace : struct, ISpace
    {
        SearchScratch scratch = SearchScratch.Current;
        if (_quantizer is not null)
        {
            CodeDistance codes = CodeDistanceTo(ref query, scratch);
            GraphSearchLayer0(ref codes, ef, matches, count, scratch);
            Rescore<TSpace>(ref query, k, ref scratch.Results, scratch);
        }
        else
        {
            var floats = FloatDistanceTo<TSpace>(ref query);
            GraphSearchLayer0(ref floats, ef, matches, count, scratch);
        }
        return TakeHits(ref query, k, ref scratch.Results);
    }

    /// <summary>The graph strategy on one kind of distance: leaves the best matches in <c>scratch.Results</c>.</summary>
    private void GraphSearchLayer0<TDistance>(ref TDistance query, int ef, SlotSet matches, int count, SearchScratch scratch)
        where TDistance : INodeDistance, allows ref struct
    {
        int entry = GreedyDescend(ref query, _entryPoint, _maxLevel, 1, -1, out float entryDistance);
        Span<int> block = LinkBlock(entry, 0);
        int near = 0, around = block[0];
        for (int j = 1; j <= around; j++)
        {
            if (matches.Contains(block[j])) { near++; }
        }
        if (2L * near * _liveCount >= (long)count * around)
        {
            SearchLayer0(ref query, entry, entryDistance, ef, scratch, new NodesIn(matches));
        }
        else
        {
            SearchMatches(ref query, entry, Math.Min(ef * SparseBeamFactor, Math.Max(count, ef)), matches, count, scratch);
        }
    }

    /// <summary>The ACORN-style search of <see cref="GraphSearchLayer0"/>: leaves the best <paramref name="ef"/> matches in
    /// <c>scratch.Results</c>.</summary>
    [SkipLocalsInit]
    private void SearchMatches<TDistance>(ref TDistance query, int entry, int ef, SlotSet matches, int count, SearchScratch scratch)
        where TDistance : INodeDistance, allows ref struct
    {
        var beam = new Beam(scratch, _slotCount, ef);
        VisitedSet visited = scratch.Visited;
        var links = new MatchLinks(this, matches, visited);
        Span<int> fresh = stackalloc int[_m0];

        // Seeds: the entry when it matches, the matches around it, and matches spread over the set.
        if (matches.Contains(entry) && visited.TryVisit(entry))
        {
            Offer(ref query, ref beam, entry);
        }
        int n = links.Gather(entry, fresh);
        for (int j = 0; j < n; j++)
        {
            Offer(ref query, ref beam, fresh[j]);
        }
        int stride = Math.Max(1, count / MatchSeeds), seen = 0;
        foreach (int slot in matches)
        {
            if (seen++ % stride == 0 && visited.TryVisit(slot))
            {
                Offer(ref query, ref beam, slot);
            }
        }
        ExpandBeam(ref query, beam, new EveryNode(), links);

        static void Offer(ref TDistance query, ref Beam beam, int node)
        {
            float d = query.To(node);
            if (beam.Admits(d))
            {
                beam.Add(d, node, accepted: true);
            }
        }
    }

    /// <summary>The subgraph of a filter's matches, as <see cref="SearchMatches"/> walks it (<see cref="GatherMatches"/>).</summary>
    private readonly struct MatchLinks(HnswIndex index, SlotSet matches, VisitedSet visited) : INodeLinks
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Gather(int node, scoped Span<int> fresh) => index.GatherMatches(node, matches, visited, fresh);
    }

    /// <summary>Unvisited matches among the neighbours of <paramref name="node"/> and, through each neighbour that
    /// does not match, among its neighbours; at most <c>fresh.Length</c>. Everything looked at is marked visited.</summary>
    private int GatherMatches(int node, SlotSet matches, VisitedSet visited, Span<int> fresh)
    {
        int n = 0;
        Span<int> block = LinkBlock(node, 0);
        int count = block[0];
        for (int j = 1; j <= count; j++)
        {
            int neighbour = block[j];
            if (matches.Contains(neighbour) && visited.TryVisit(neighbour))
            {
                fresh[n++] = neighbour;
            }
        }
        for (int j = 1; j <= count && n < fresh.Length; j++)
        {
            int neighbour = block[j];
            if (matches.Contains(neighbour) || !visited.TryVisit(neighbour))
            {
                continue;
            }
            Span<int> second = LinkBlock(neighbour, 0);
            int secondCount = second[0];
            for (int i = 1; i <= secondCount && n < fresh.Length; i++)
            {
                int next = second[i];
                if (matches.Contains(next) && visited.TryVisit(next))
                {
                    fresh[n++] = next;
                }
            }
        }
        return n;
    }

    /// <summary>The k nearest of <paramref name="matches"/>, each compared with the query.</summary>
    [SkipLocalsInit]
    private SearchHit[] ExactSearch<TSpace>(ref float query, int k, SlotSet matches) where TSpace : struct, ISpace
    {
        ref CandidateHeap<FarthestFirst> results = ref SearchScratch.Current.Results;
        results.Clear();
        ref float vectors = ref _vectors.Reference;
        nint dim = _dim;
        float bound = float.PositiveInfinity;
        foreach (int slot in matches)
        {
            float d = TSpace.Distance(ref query, ref Unsafe.Add(ref vectors, slot * dim), (nuint)dim);
            if (results.Count < k)
            {
                results.Push(d, slot);
                bound = results.Top.Distance;
            }
            else if (d < bound)
            {
                results.Pop();
                results.Push(d, slot);
                bound = results.Top.Distance;
            }
        }
        return TakeHits(ref query, k, ref results);
    }
}
