using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Vectord.Hnsw.Distance;

namespace Vectord.Hnsw.Tests;

/// <summary>
/// The integer kernel of the quantized search against a scalar reference: all paths must give the same exact
/// integer. The process runs whichever path the CPU and the DOTNET_Enable* switches allow; scripts/test.sh re-runs
/// this class with AVX-512, then AVX2, then all hardware intrinsics disabled, so every path is covered.
/// </summary>
public sealed class QuantizedDistanceTests
{
    public static TheoryData<int> Lengths() => DistanceKernelTests.Lengths();

    private static long Reference(ReadOnlySpan<byte> codes, ReadOnlySpan<short> weights)
    {
        long sum = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            sum += codes[i] * (long)weights[i];
        }
        return sum;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotEqualsTheScalarReference(int n)
    {
        var random = new Random(3000 + n);
        int max = QuantizedDistance.MaxWeight(n);
        for (int round = 0; round < 4; round++)
        {
            // Offsets 0..3 make the kernel load from unaligned addresses.
            var codes = new byte[n + round];
            var weights = new short[n + round];
            random.NextBytes(codes);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (short)random.Next(-max, max + 1);
            }
            ReadOnlySpan<byte> c = codes.AsSpan(round, n);
            ReadOnlySpan<short> w = weights.AsSpan(round, n);
            Assert.Equal(Reference(c, w), QuantizedDistance.Dot(c, w));
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TheExtremesDoNotOverflow(int n)
    {
        // Every code 255 against the largest weight of either sign: the bound MaxWeight keeps is reached exactly.
        int max = QuantizedDistance.MaxWeight(n);
        var codes = Enumerable.Repeat((byte)255, n).ToArray();
        Assert.Equal(255L * max * n, QuantizedDistance.Dot(codes, Enumerable.Repeat((short)max, n).ToArray()));
        Assert.Equal(-255L * max * n, QuantizedDistance.Dot(codes, Enumerable.Repeat((short)-max, n).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryComponentCountsExactlyOnce(int n)
    {
        for (int hot = 0; hot < n; hot += Math.Max(1, n / 17))
        {
            var codes = Enumerable.Repeat((byte)1, n).ToArray();
            var weights = Enumerable.Repeat((short)1, n).ToArray();
            codes[hot] = 200;
            weights[hot] = -100;
            Assert.Equal(n - 1 - 20_000, QuantizedDistance.Dot(codes, weights));
        }
    }

    [Fact]
    public void MaxWeightKeepsTheSumInRange()
    {
        Assert.Equal(short.MaxValue, QuantizedDistance.MaxWeight(1));
        Assert.Equal(short.MaxValue, QuantizedDistance.MaxWeight(257));
        Assert.Equal(10_741, QuantizedDistance.MaxWeight(784));
        foreach (int n in new[] { 784, 1536, 4096, 65_536 })
        {
            Assert.True(255L * n * QuantizedDistance.MaxWeight(n) <= int.MaxValue);
            Assert.True(255L * n * (QuantizedDistance.MaxWeight(n) + 1) > int.MaxValue);
        }
    }

    [Fact]
    public void DifferentLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => QuantizedDistance.Dot(new byte[3], new short[4]));

    [Fact]
    public void TheDisabledPathsAreNotTaken()
    {
        // Guards the re-runs in scripts/test.sh: the kernel picks its path from these flags.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Avx512BW.IsSupported);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Avx2.IsSupported);
            Assert.False(Avx512BW.IsSupported);
        }
        Assert.True(!Avx512BW.IsSupported || Vector512.IsHardwareAccelerated);
    }
}
