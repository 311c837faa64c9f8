using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

// Keyword hybrid search is not implemented by the connector yet; the suite's tests run (and fail) so that the gap shows.

public sealed class HttpHybridSearchTests(HttpHybridSearchTests.VectorAndStringFixture vectorAndStringFixture, HttpHybridSearchTests.MultiTextFixture multiTextFixture)
    : HybridSearchTests<string>(vectorAndStringFixture, multiTextFixture),
        IClassFixture<HttpHybridSearchTests.VectorAndStringFixture>, IClassFixture<HttpHybridSearchTests.MultiTextFixture>
{
    public new sealed class VectorAndStringFixture : HybridSearchTests<string>.VectorAndStringFixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }

    public new sealed class MultiTextFixture : HybridSearchTests<string>.MultiTextFixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsHybridSearchTests(GrainsHybridSearchTests.VectorAndStringFixture vectorAndStringFixture, GrainsHybridSearchTests.MultiTextFixture multiTextFixture)
    : HybridSearchTests<string>(vectorAndStringFixture, multiTextFixture),
        IClassFixture<GrainsHybridSearchTests.VectorAndStringFixture>, IClassFixture<GrainsHybridSearchTests.MultiTextFixture>
{
    public new sealed class VectorAndStringFixture : HybridSearchTests<string>.VectorAndStringFixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }

    public new sealed class MultiTextFixture : HybridSearchTests<string>.MultiTextFixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
