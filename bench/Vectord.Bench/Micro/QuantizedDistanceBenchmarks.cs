using BenchmarkDotNet.Attributes;
using System.Numerics.Tensors;
using Vectord.Hnsw.Distance;

namespace Vectord.Bench.Micro;

/// <summary>
/// The quantized search's kernel (one-byte codes against 16-bit query weights, <see cref="QuantizedDistance.Dot(ReadOnlySpan{byte}, ReadOnlySpan{short})"/>)
/// against <see cref="TensorPrimitives"/>: the float dot product it stands in for (the baseline), and
/// <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> over the same integers as int32 (it has no
/// mixed-width integer product). One comparison between two vectors already in cache.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByParams)]
public class QuantizedDistanceBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private byte[] _codes = [];
    private short[] _weights = [];
    private int[] _codesWide = [];
    private int[] _weightsWide = [];

    /// <summary>Vector length.</summary>
    [Params(128, 784, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        int max = QuantizedDistance.MaxWeight(Dim);
        _a = new float[Dim];
        _b = new float[Dim];
        _codes = new byte[Dim];
        _weights = new short[Dim];
        random.NextBytes(_codes);
        for (int i = 0; i < Dim; i++)
        {
            _a[i] = (float)random.NextDouble();
            _b[i] = (float)random.NextDouble();
            _weights[i] = (short)random.Next(-max, max + 1);
        }
        _codesWide = [.. _codes.Select(c => (int)c)];
        _weightsWide = [.. _weights.Select(w => (int)w)];
    }

    [Benchmark(Baseline = true)]
    public float FloatDotTensorPrimitives() => TensorPrimitives.Dot(_a, _b);

    [Benchmark]
    public int Int32DotTensorPrimitives() => TensorPrimitives.Dot<int>(_codesWide, _weightsWide);

    [Benchmark]
    public int CodesDotVectord() => QuantizedDistance.Dot(_codes, _weights);
}
