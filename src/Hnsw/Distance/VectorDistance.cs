using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vectord.Hnsw.Distance;

/// <summary>
/// Hand-written SIMD distance kernels: a Vector512 → Vector256 → Vector128 → scalar ladder with several
/// independent accumulators and fused multiply-add where the CPU has it.
/// </summary>
[SkipLocalsInit]
public static class VectorDistance
{
    /// <summary>The dot product of two equally long vectors.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch();
        }
        return Dot(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>The squared L2 distance of two equally long vectors.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float L2Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch();
        }
        return L2Squared(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>The dot product of <paramref name="n"/> floats starting at <paramref name="a"/> and <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ref float a, ref float b, nuint n)
    {
        nuint i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            Vector512<float> acc2 = Vector512<float>.Zero, acc3 = Vector512<float>.Zero;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i), acc0);
                acc1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i + W), Vector512.LoadUnsafe(ref b, i + W), acc1);
                acc2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i + 2 * W), Vector512.LoadUnsafe(ref b, i + 2 * W), acc2);
                acc3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i + 3 * W), Vector512.LoadUnsafe(ref b, i + 3 * W), acc3);
            }
            for (; i + W <= n; i += W)
            {
                acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i), acc0);
            }
            if (i < n)
            {
                // Overlapping final load with the lanes already summed masked out.
                nuint start = n - W;
                Vector512<float> mask = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(TailMask512), (nuint)W - (n - i));
                Vector512<float> x = Vector512.LoadUnsafe(ref a, start) * mask;
                acc1 = Vector512.MultiplyAddEstimate(x, Vector512.LoadUnsafe(ref b, start), acc1);
                i = n;
            }
            sum = Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
            Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i), acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i + W), Vector256.LoadUnsafe(ref b, i + W), acc1);
                acc2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i + 2 * W), Vector256.LoadUnsafe(ref b, i + 2 * W), acc2);
                acc3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i + 3 * W), Vector256.LoadUnsafe(ref b, i + 3 * W), acc3);
            }
            for (; i + W <= n; i += W)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i), acc0);
            }
            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            Vector128<float> acc0 = Vector128<float>.Zero, acc1 = Vector128<float>.Zero;
            for (; i + 2 * W <= n; i += 2 * W)
            {
                acc0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref a, i), Vector128.LoadUnsafe(ref b, i), acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref a, i + W), Vector128.LoadUnsafe(ref b, i + W), acc1);
            }
            for (; i + W <= n; i += W)
            {
                acc0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref a, i), Vector128.LoadUnsafe(ref b, i), acc0);
            }
            sum = Vector128.Sum(acc0 + acc1);
        }
        else
        {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (; i + 4 <= n; i += 4)
            {
                s0 += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
                s1 += Unsafe.Add(ref a, i + 1) * Unsafe.Add(ref b, i + 1);
                s2 += Unsafe.Add(ref a, i + 2) * Unsafe.Add(ref b, i + 2);
                s3 += Unsafe.Add(ref a, i + 3) * Unsafe.Add(ref b, i + 3);
            }
            sum = (s0 + s1) + (s2 + s3);
        }
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
        return sum;
    }

    /// <summary>The squared L2 distance of <paramref name="n"/> floats starting at <paramref name="a"/> and <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L2Squared(ref float a, ref float b, nuint n)
    {
        nuint i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            Vector512<float> acc2 = Vector512<float>.Zero, acc3 = Vector512<float>.Zero;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                Vector512<float> d0 = Vector512.LoadUnsafe(ref a, i) - Vector512.LoadUnsafe(ref b, i);
                Vector512<float> d1 = Vector512.LoadUnsafe(ref a, i + W) - Vector512.LoadUnsafe(ref b, i + W);
                Vector512<float> d2 = Vector512.LoadUnsafe(ref a, i + 2 * W) - Vector512.LoadUnsafe(ref b, i + 2 * W);
                Vector512<float> d3 = Vector512.LoadUnsafe(ref a, i + 3 * W) - Vector512.LoadUnsafe(ref b, i + 3 * W);
                acc0 = Vector512.MultiplyAddEstimate(d0, d0, acc0);
                acc1 = Vector512.MultiplyAddEstimate(d1, d1, acc1);
                acc2 = Vector512.MultiplyAddEstimate(d2, d2, acc2);
                acc3 = Vector512.MultiplyAddEstimate(d3, d3, acc3);
            }
            for (; i + W <= n; i += W)
            {
                Vector512<float> d = Vector512.LoadUnsafe(ref a, i) - Vector512.LoadUnsafe(ref b, i);
                acc0 = Vector512.MultiplyAddEstimate(d, d, acc0);
            }
            if (i < n)
            {
                nuint start = n - W;
                Vector512<float> mask = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(TailMask512), (nuint)W - (n - i));
                Vector512<float> d = (Vector512.LoadUnsafe(ref a, start) - Vector512.LoadUnsafe(ref b, start)) * mask;
                acc1 = Vector512.MultiplyAddEstimate(d, d, acc1);
                i = n;
            }
            sum = Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
            Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                Vector256<float> d0 = Vector256.LoadUnsafe(ref a, i) - Vector256.LoadUnsafe(ref b, i);
                Vector256<float> d1 = Vector256.LoadUnsafe(ref a, i + W) - Vector256.LoadUnsafe(ref b, i + W);
                Vector256<float> d2 = Vector256.LoadUnsafe(ref a, i + 2 * W) - Vector256.LoadUnsafe(ref b, i + 2 * W);
                Vector256<float> d3 = Vector256.LoadUnsafe(ref a, i + 3 * W) - Vector256.LoadUnsafe(ref b, i + 3 * W);
                acc0 = Vector256.MultiplyAddEstimate(d0, d0, acc0);
                acc1 = Vector256.MultiplyAddEstimate(d1, d1, acc1);
                acc2 = Vector256.MultiplyAddEstimate(d2, d2, acc2);
                acc3 = Vector256.MultiplyAddEstimate(d3, d3, acc3);
            }
            for (; i + W <= n; i += W)
            {
                Vector256<float> d = Vector256.LoadUnsafe(ref a, i) - Vector256.LoadUnsafe(ref b, i);
                acc0 = Vector256.MultiplyAddEstimate(d, d, acc0);
            }
            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            Vector128<float> acc0 = Vector128<float>.Zero, acc1 = Vector128<float>.Zero;
            for (; i + 2 * W <= n; i += 2 * W)
            {
                Vector128<float> d0 = Vector128.LoadUnsafe(ref a, i) - Vector128.LoadUnsafe(ref b, i);
                Vector128<float> d1 = Vector128.LoadUnsafe(ref a, i + W) - Vector128.LoadUnsafe(ref b, i + W);
                acc0 = Vector128.MultiplyAddEstimate(d0, d0, acc0);
                acc1 = Vector128.MultiplyAddEstimate(d1, d1, acc1);
            }
            for (; i + W <= n; i += W)
            {
                Vector128<float> d = Vector128.LoadUnsafe(ref a, i) - Vector128.LoadUnsafe(ref b, i);
                acc0 = Vector128.MultiplyAddEstimate(d, d, acc0);
            }
            sum = Vector128.Sum(acc0 + acc1);
        }
        else
        {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (; i + 4 <= n; i += 4)
            {
                float d0 = Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i);
                float d1 = Unsafe.Add(ref a, i + 1) - Unsafe.Add(ref b, i + 1);
                float d2 = Unsafe.Add(ref a, i + 2) - Unsafe.Add(ref b, i + 2);
                float d3 = Unsafe.Add(ref a, i + 3) - Unsafe.Add(ref b, i + 3);
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            sum = (s0 + s1) + (s2 + s3);
        }
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i);
            sum += d * d;
        }
        return sum;
    }

    /// <summary>Sixteen zeros then sixteen ones: loading 16 floats at offset 16 − r keeps the last r lanes.</summary>
    private static ReadOnlySpan<float> TailMask512 =>
    [
        0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f,
        1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f,
    ];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() => throw new ArgumentException("Vectors must have the same length.");
}
