using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Vectord.Hnsw.Distance;

namespace Vectord.Hnsw.Graph;

/// <summary>The ordering distance (smaller is closer) from one query to any node, as the graph walks compare it.
/// Implemented by ref structs over the index's arrays, so each walk is compiled once per kind with the distance inlined.</summary>
internal interface INodeDistance
{
    /// <summary>The ordering distance from the query to <paramref name="node"/>.</summary>
    float To(int node);

    /// <summary>Asks the CPU to fetch what <see cref="To"/> will read for <paramref name="node"/>.</summary>
    void Prefetch(int node);
}

/// <summary>Distances to the float vectors under <typeparamref name="TSpace"/>.</summary>
internal readonly ref struct FloatDistance<TSpace>(ref float query, ref float vectors, int dimension) : INodeDistance
    where TSpace : struct, ISpace
{
    private readonly ref float _query = ref query;
    private readonly ref float _vectors = ref vectors;
    private readonly nint _dim = dimension;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int node) => TSpace.Distance(ref _query, ref Unsafe.Add(ref _vectors, node * _dim), (nuint)_dim);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => NodePrefetch.Lines(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref _vectors, node * _dim)), _dim * sizeof(float));
}

/// <summary>Estimated distances to the one-byte codes of the vectors (see <see cref="Quantization.ScalarQuantizer"/>):
/// <c>normWeight · norm(node) − unit · Σ weight·code</c>, with each code row followed by its float norm.</summary>
internal readonly ref struct CodeDistance(ref short weights, ref byte codes, int dimension, int stride, float unit, float normWeight) : INodeDistance
{
    private readonly ref short _weights = ref weights;
    private readonly ref byte _codes = ref codes;
    private readonly nint _dim = dimension;
    private readonly nint _stride = stride;
    private readonly float _unit = unit;
    private readonly float _normWeight = normWeight;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int node)
    {
        ref byte row = ref Unsafe.Add(ref _codes, node * _stride);
        int dot = QuantizedDistance.Dot(ref row, ref _weights, (nuint)_dim);
        float norm = Unsafe.ReadUnaligned<float>(ref Unsafe.Add(ref row, _stride - sizeof(float)));
        return (_normWeight * norm) - (_unit * dot);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => NodePrefetch.Lines(ref Unsafe.Add(ref _codes, node * _stride), _stride);
}

/// <summary>Software prefetch of a node's data, one step ahead of its comparison.</summary>
internal static class NodePrefetch
{
    /// <summary>At most this many cache lines of one node are fetched ahead.</summary>
    private const int MaxLines = 64;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Lines(ref byte start, nint bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        byte* p = (byte*)Unsafe.AsPointer(ref start);
        nint end = Math.Min(bytes, MaxLines * 64);
        for (nint o = 0; o < end; o += 64)
        {
            Sse.Prefetch0(p + o);
        }
        if (bytes <= end)
        {
            Sse.Prefetch0(p + bytes - 1);                      // the last line, when the start is not line-aligned
        }
    }
}
