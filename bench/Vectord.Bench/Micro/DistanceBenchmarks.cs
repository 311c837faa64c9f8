using BenchmarkDotNet.Attributes;
using System.Numerics.Tensors;
using Vectord.Hnsw.Distance;

namespace Vectord.Bench.Micro;

/// <summary>
/// The engine's distance kernels against <see cref="TensorPrimitives"/> (the baseline) at the dimensions that
/// matter: 128 (classic descriptors), 784 (fashion-mnist), 1536 (text embeddings). Each call computes one
/// distance between two vectors already in cache, as in the inner loop of a graph search.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DistanceBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];

    /// <summary>Vector length.</summary>
    [Params(128, 784, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        _a = new float[Dim];
        _b = new float[Dim];
        for (int i = 0; i < Dim; i++)
        {
            _a[i] = (float)random.NextDouble();
            _b[i] = (float)random.NextDouble();
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("dot")]
    public float DotTensorPrimitives() => TensorPrimitives.Dot(_a, _b);

    [Benchmark, BenchmarkCategory("dot")]
    public float DotVectord() => VectorDistance.Dot(_a, _b);

    [Benchmark(Baseline = true), BenchmarkCategory("l2sq")]
    public float L2SquaredTensorPrimitives()
    {
        // TensorPrimitives has no squared distance; Distance (= sqrt of it) costs the same plus one square root.
        float d = TensorPrimitives.Distance(_a, _b);
        return d * d;
    }

    [Benchmark, BenchmarkCategory("l2sq")]
    public float L2SquaredVectord() => VectorDistance.L2Squared(_a, _b);
}
