using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>The suite's distance function tests. An index measures cosine, euclidean (L2) or dot-product distance; the
/// connector maps CosineSimilarity and CosineDistance, EuclideanDistance and EuclideanSquaredDistance,
/// DotProductSimilarity and NegativeDotProductSimilarity to them (the score's form differs within a pair). Hamming and
/// Manhattan distances cannot apply: the engine computes neither, so the connector refuses them with
/// <see cref="NotSupportedException"/> when the collection is built.</summary>
public abstract class VectordDistanceFunctionTests(DistanceFunctionTests<string>.Fixture fixture)
    : DistanceFunctionTests<string>(fixture)
{
    public override Task HammingDistance() => Assert.ThrowsAsync<NotSupportedException>(base.HammingDistance);

    public override Task ManhattanDistance() => Assert.ThrowsAsync<NotSupportedException>(base.ManhattanDistance);
}

public sealed class HttpDistanceFunctionTests(HttpDistanceFunctionTests.Fixture fixture)
    : VectordDistanceFunctionTests(fixture), IClassFixture<HttpDistanceFunctionTests.Fixture>
{
    public new sealed class Fixture : DistanceFunctionTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsDistanceFunctionTests(GrainsDistanceFunctionTests.Fixture fixture)
    : VectordDistanceFunctionTests(fixture), IClassFixture<GrainsDistanceFunctionTests.Fixture>
{
    public new sealed class Fixture : DistanceFunctionTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
