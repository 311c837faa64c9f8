using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vectord.Hnsw.Distance;

/// <summary>
/// The kernel of the quantized graph search: the dot product of a vector's one-byte codes (unsigned) with a query's
/// 16-bit weights, in 32-bit integers. Every path computes the same exact integer: AVX-512BW (32 codes widened to
/// 16 bits, multiplied and summed in pairs, <c>vpmovzxbw</c> + <c>vpmaddwd</c>), then AVX2 (16 at a time), then
/// scalar. The caller keeps <c>255 · n · max|weight|</c> below 2³¹ (see <see cref="MaxWeight"/>), so no sum overflows.
/// </summary>
/// <remarks>
/// No VNNI path: .NET 10 exposes VNNI only as <c>AvxVnni</c> (VEX-encoded, 256-bit), which CPUs with AVX-512 VNNI
/// but without AVX-VNNI (the build machine's) do not run, and an 8-bit query would cost precision. The widening
/// madd moves 32 components an instruction from a quarter of the bytes the float vectors take, which is what the
/// search is bound by.
/// </remarks>
[SkipLocalsInit]
public static class QuantizedDistance
{
    /// <summary>The largest query weight magnitude for which a dot product over <paramref name="dimension"/>
    /// codes cannot overflow an int32: at most 32,767 (the weights are 16-bit).</summary>
    public static int MaxWeight(int dimension) => (int)Math.Min(short.MaxValue, int.MaxValue / (255L * Math.Max(dimension, 1)));

    /// <summary>Σ codes[i] · weights[i] over two equally long spans.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static int Dot(ReadOnlySpan<byte> codes, ReadOnlySpan<short> weights)
    {
        if (codes.Length != weights.Length)
        {
            ThrowLengthMismatch();
        }
        return Dot(ref MemoryMarshal.GetReference(codes), ref MemoryMarshal.GetReference(weights), (nuint)codes.Length);
    }

    /// <summary>Σ codes[i] · weights[i] over <paramref name="n"/> components.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Dot(ref byte codes, ref short weights, nuint n)
    {
        nuint i = 0;
        int sum = 0;
        if (Avx512BW.IsSupported && n >= 32)
        {
            Vector512<int> acc0 = Vector512<int>.Zero, acc1 = Vector512<int>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                Vector512<short> c0 = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i));
                Vector512<short> c1 = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i + 32));
                acc0 += Avx512BW.MultiplyAddAdjacent(c0, Vector512.LoadUnsafe(ref weights, i));
                acc1 += Avx512BW.MultiplyAddAdjacent(c1, Vector512.LoadUnsafe(ref weights, i + 32));
            }
            if (i + 32 <= n)
            {
                Vector512<short> c = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i));
                acc0 += Avx512BW.MultiplyAddAdjacent(c, Vector512.LoadUnsafe(ref weights, i));
                i += 32;
            }
            if (i + 16 <= n)
            {
                Vector256<short> c = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i));
                acc1 += Vector512.Create(Avx2.MultiplyAddAdjacent(c, Vector256.LoadUnsafe(ref weights, i)), Vector256<int>.Zero);
                i += 16;
            }
            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                Vector256<short> c0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i));
                Vector256<short> c1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i + 16));
                acc0 += Avx2.MultiplyAddAdjacent(c0, Vector256.LoadUnsafe(ref weights, i));
                acc1 += Avx2.MultiplyAddAdjacent(c1, Vector256.LoadUnsafe(ref weights, i + 16));
            }
            if (i + 16 <= n)
            {
                Vector256<short> c = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i));
                acc0 += Avx2.MultiplyAddAdjacent(c, Vector256.LoadUnsafe(ref weights, i));
                i += 16;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref codes, i) * Unsafe.Add(ref weights, i);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() => throw new ArgumentException("Codes and weights must have the same length.");
}
