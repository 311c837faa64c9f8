using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>The suite's distance function tests, with the functions Vectord does not offer declared: an index
/// measures cosine, euclidean (L2) or dot-product distance, and the connector maps CosineSimilarity,
/// EuclideanDistance and DotProductSimilarity to them; any other function is refused with
/// <see cref="NotSupportedException"/> when the collection is built.</summary>
public abstract class VectordDistanceFunctionTests(DistanceFunctionTests<string>.Fixture fixture)
    : DistanceFunctionTests<string>(fixture)
{
    public override Task CosineDistance() => Assert.ThrowsAsync<NotSupportedException>(base.CosineDistance);

    public override Task NegativeDotProductSimilarity() => Assert.ThrowsAsync<NotSupportedException>(base.NegativeDotProductSimilarity);

    public override Task EuclideanSquaredDistance() => Assert.ThrowsAsync<NotSupportedException>(base.EuclideanSquaredDistance);

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
