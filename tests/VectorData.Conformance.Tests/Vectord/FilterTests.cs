using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

public sealed class HttpFilterTests(HttpFilterTests.Fixture fixture)
    : FilterTests<string>(fixture), IClassFixture<HttpFilterTests.Fixture>
{
    public new sealed class Fixture : FilterTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsFilterTests(GrainsFilterTests.Fixture fixture)
    : FilterTests<string>(fixture), IClassFixture<GrainsFilterTests.Fixture>
{
    public new sealed class Fixture : FilterTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
