using System.Runtime.CompilerServices;

namespace Vectord.Hnsw.Distance;

/// <summary>An internal ordering distance (smaller is closer), resolved statically in generic hot loops.</summary>
internal interface ISpace
{
    /// <summary>The ordering distance between <paramref name="n"/> floats at <paramref name="a"/> and <paramref name="b"/>.</summary>
    static abstract float Distance(ref float a, ref float b, nuint n);
}

/// <summary>Squared L2: orders exactly as L2 and needs no square root.</summary>
internal readonly struct L2Space : ISpace
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(ref float a, ref float b, nuint n) => VectorDistance.L2Squared(ref a, ref b, n);
}

/// <summary>Negative dot product: used for dot distance and, on unit vectors, for cosine.</summary>
internal readonly struct NegativeDotSpace : ISpace
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(ref float a, ref float b, nuint n) => -VectorDistance.Dot(ref a, ref b, n);
}
