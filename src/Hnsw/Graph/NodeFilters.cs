using System.Runtime.CompilerServices;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Graph;

/// <summary>Which nodes a beam search may return. Implemented by structs, so the search loop is compiled once per
/// filter with the test inlined.</summary>
internal interface INodeFilter
{
    /// <summary>True when the filter may refuse nodes the graph reaches: the search then keeps going until it holds
    /// ef accepted results, instead of stopping as soon as its nearest candidate is farther than its worst result.</summary>
    bool MustFill { get; }

    /// <summary>Whether <paramref name="node"/> may be a result; <paramref name="deleted"/> is the start of the
    /// index's tombstone marks, hoisted by the search loop.</summary>
    bool Accepts(int node, ref bool deleted);
}

/// <summary>Every live node: tombstones route but are never returned.</summary>
internal readonly struct LiveNodes(bool mustFill) : INodeFilter
{
    public bool MustFill => mustFill;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(int node, ref bool deleted) => !Unsafe.Add(ref deleted, node);
}

/// <summary>The nodes of a set (a filter's live matches).</summary>
internal readonly struct NodesIn(SlotSet set) : INodeFilter
{
    public bool MustFill => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(int node, ref bool deleted) => set.Contains(node);
}

/// <summary>Every node the search reaches (a search whose links reach only the nodes it may return).</summary>
internal readonly struct EveryNode : INodeFilter
{
    public bool MustFill => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(int node, ref bool deleted) => true;
}

/// <summary>Every live node but one (the node an insert is linking): the others route past it, so the search goes
/// on until it holds ef of them.</summary>
internal readonly struct LiveNodesBut(int excluded) : INodeFilter
{
    public bool MustFill => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(int node, ref bool deleted) => node != excluded && !Unsafe.Add(ref deleted, node);
}
