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
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter) => Search(query, k, ef, filter, out _);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int, int, PayloadFilter?)"/>, also saying what the planner chose.</summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int ef, PayloadFilter? filter, out FilterPlan plan)
    {
        if (filter is null)
        {
            plan = new FilterPlan(FilterStrategy.Unfiltered, Count);
            return Search(query, k, ef);
        }
        if (_options.CheckVector(query, allowZero: true) is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }
        using var reading = _gate.Read();
        SlotSet matches = Select(filter);
        int count = matches.Count;
        ef = Math.Max(ef <= 0 ? _options.EfSearch : ef, Math.Max(k, 1));
        plan = new FilterPlan(Plan(count, ef), count);
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
        var nodes = new NodesIn(matches);
        return l2 ? SearchCore<L2Space, NodesIn>(ref q, k, ef, nodes) : SearchCore<NegativeDotSpace, NodesIn>(ref q, k, ef, nodes);
    }

    /// <summary>How a search with <paramref name="filter"/> would run now, and how many live items match it.</summary>
    public FilterPlan Explain(PayloadFilter? filter, int ef = 0)
    {
        if (filter is null)
        {
            return new FilterPlan(FilterStrategy.Unfiltered, Count);
        }
        using var reading = _gate.Read();
        int matches = Select(filter).Count;
        return new FilterPlan(Plan(matches, ef <= 0 ? _options.EfSearch : ef), matches);
    }

    /// <summary>How many live items match <paramref name="filter"/> (all of them when null).</summary>
    public int CountMatching(PayloadFilter? filter)
    {
        if (filter is null)
        {
            return Count;
        }
        using var reading = _gate.Read();
        return Select(filter).Count;
    }

    /// <summary>The ids of the live items that match <paramref name="filter"/>, in internal order.</summary>
    public string[] MatchingIds(PayloadFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var reading = _gate.Read();
        SlotSet matches = Select(filter);
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
    public Func<string, bool> Matcher(PayloadFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        SlotSet matches;
        using (_gate.Read())
        {
            matches = Select(filter);
        }
        return id =>
        {
            using var reading = _gate.Read();
            return _slots.TryGetValue(id, out int slot) && slot < matches.Capacity && matches.Contains(slot);
        };
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

    /// <summary>The live slots matching <paramref name="filter"/>; the caller holds the gate as a reader.</summary>
    private SlotSet Select(PayloadFilter filter) =>
        _payload.Evaluate(filter, _live, id => _slots.TryGetValue(id, out int slot) ? slot : -1);

    /// <summary>
    /// The planner. An exact scan costs one distance per match; a graph search costs about as many as an unfiltered
    /// one divided by the share of items that match near the query, which is unknown, and grows without bound when
    /// the matches lie far from it. So the exact scan is chosen while it is cheap in absolute terms, and the graph
    /// only beyond: below <see cref="ExactScanMatches"/> matches, or below <see cref="ExactScanShare"/> of the
    /// index, whichever is larger. Measured on fashion-mnist (60,000 × 784): see the README ("Filtered search").
    /// </summary>
    private FilterStrategy Plan(int matches, int ef) =>
        matches <= Math.Max(Math.Max(ExactScanMatches, 4 * ef), (int)(_liveCount * ExactScanShare)) ? FilterStrategy.Exact : FilterStrategy.Graph;

    /// <summary>Matches below which a filtered search is always exact.</summary>
    internal const int ExactScanMatches = 2048;

    /// <summary>Share of the index below which a filtered search is exact.</summary>
    internal const double ExactScanShare = 0.02;

    /// <summary>The k nearest of <paramref name="matches"/>, each compared with the query.</summary>
    [SkipLocalsInit]
    private SearchHit[] ExactSearch<TSpace>(ref float query, int k, SlotSet matches) where TSpace : struct, ISpace
    {
        ref MaxHeap results = ref SearchScratch.Current.Results;
        results.Clear();
        ref float vectors = ref MemoryMarshal.GetArrayDataReference(_vectors);
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
