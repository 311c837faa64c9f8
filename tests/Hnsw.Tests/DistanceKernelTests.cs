using System.Runtime.Intrinsics;
using Vectord.Hnsw.Distance;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// The SIMD kernels against a double-precision scalar reference. The process runs whichever ladder step the CPU
/// and the DOTNET_Enable* switches allow; scripts/test.sh re-runs this class with AVX-512 and then all hardware
/// intrinsics disabled, so every step is covered.
/// </summary>
public sealed class DistanceKernelTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 1; n <= 70; n++)
        {
            data.Add(n);
        }
        foreach (int n in new[] { 95, 127, 128, 129, 255, 257, 511, 783, 784, 785, 1023, 1535, 1536, 1537 })
        {
            data.Add(n);
        }
        return data;
    }

    private static float[] RandomVector(Random random, int n, double scale = 1.0)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }
        return v;
    }

    private static (double Value, double Magnitude) ReferenceDot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = (double)a[i] * b[i];
            sum += p;
            magnitude += Math.Abs(p);
        }
        return (sum, magnitude);
    }

    private static double ReferenceL2Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    /// <summary>Float summation error bound: a few ulps per term of the summed magnitudes.</summary>
    private static double Tolerance(int n, double magnitude) => (4.0 * float.Epsilon) + (magnitude * 1.2e-7 * (4 + Math.Sqrt(n)));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotMatchesScalarReference(int n)
    {
        var random = new Random(1000 + n);
        for (int round = 0; round < 4; round++)
        {
            // Offsets 0..3 make the kernels load from unaligned addresses.
            float[] a = RandomVector(random, n + round, 3.0);
            float[] b = RandomVector(random, n + round, 2.0);
            ReadOnlySpan<float> x = a.AsSpan(round, n);
            ReadOnlySpan<float> y = b.AsSpan(round, n);
            (double expected, double magnitude) = ReferenceDot(x, y);
            float actual = VectorDistance.Dot(x, y);
            Assert.True(Math.Abs(actual - expected) <= Tolerance(n, magnitude),
                $"n={n} offset={round}: dot {actual}, reference {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L2SquaredMatchesScalarReference(int n)
    {
        var random = new Random(2000 + n);
        for (int round = 0; round < 4; round++)
        {
            float[] a = RandomVector(random, n + round, 3.0);
            float[] b = RandomVector(random, n + round, 2.0);
            ReadOnlySpan<float> x = a.AsSpan(round, n);
            ReadOnlySpan<float> y = b.AsSpan(round, n);
            double expected = ReferenceL2Squared(x, y);
            float actual = VectorDistance.L2Squared(x, y);
            Assert.True(Math.Abs(actual - expected) <= Tolerance(n, expected),
                $"n={n} offset={round}: l2² {actual}, reference {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryComponentCountsExactlyOnce(int n)
    {
        // Integer-valued inputs are summed exactly in float: any lane counted twice or dropped changes the result.
        for (int hot = 0; hot < n; hot += Math.Max(1, n / 17))
        {
            var a = new float[n];
            var b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = 1f;
                b[i] = i == hot ? 1000f : 1f;
            }
            Assert.Equal(n - 1 + 1000f, VectorDistance.Dot(a, b));
            Assert.Equal(999f * 999f, VectorDistance.L2Squared(a, b));
        }
    }

    [Fact]
    public void IdenticalVectorsHaveZeroDistance()
    {
        float[] v = RandomVector(new Random(7), 1536, 10.0);
        foreach (int n in new[] { 1, 7, 8, 15, 16, 17, 33, 784, 1536 })
        {
            Assert.Equal(0f, VectorDistance.L2Squared(v.AsSpan(0, n), v.AsSpan(0, n)));
        }
    }

    [Fact]
    public void EmptyVectorsGiveZero()
    {
        Assert.Equal(0f, VectorDistance.Dot([], []));
        Assert.Equal(0f, VectorDistance.L2Squared([], []));
    }

    [Fact]
    public void DifferentLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => VectorDistance.Dot(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => VectorDistance.L2Squared(new float[17], new float[16]));
    }

    [Fact]
    public void DisabledInstructionSetsAreHonoured()
    {
        // Guards the re-runs in scripts/test.sh: a switch the runtime ignores would silently re-test the same path.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.False(Vector256.IsHardwareAccelerated);
        }
        // .NET 10 reads DOTNET_EnableAVX512; DOTNET_EnableAVX512F (the older name) alone has no effect.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Vector256.IsHardwareAccelerated);
        }
        Assert.True(Vector512.IsHardwareAccelerated ? Vector256.IsHardwareAccelerated : true);
    }
}
