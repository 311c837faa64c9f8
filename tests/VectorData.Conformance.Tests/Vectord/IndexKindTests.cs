using Microsoft.Extensions.VectorData;
using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>The suite's index kind tests. Every Vectord index is an HNSW graph: the connector refuses
/// <see cref="IndexKind.Flat"/> (index-less, exhaustive search) with <see cref="NotSupportedException"/>, and
/// <see cref="IndexKind.Hnsw"/> is tested instead.</summary>
public abstract class VectordIndexKindTests(IndexKindTests<string>.Fixture fixture)
    : IndexKindTests<string>(fixture)
{
    public override Task Flat() => Assert.ThrowsAsync<NotSupportedException>(base.Flat);

    [Fact]
    public virtual Task Hnsw() => Test(IndexKind.Hnsw);
}

public sealed class HttpIndexKindTests(HttpIndexKindTests.Fixture fixture)
    : VectordIndexKindTests(fixture), IClassFixture<HttpIndexKindTests.Fixture>
{
    public new sealed class Fixture : IndexKindTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsIndexKindTests(GrainsIndexKindTests.Fixture fixture)
    : VectordIndexKindTests(fixture), IClassFixture<GrainsIndexKindTests.Fixture>
{
    public new sealed class Fixture : IndexKindTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
