using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.ModelTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.ModelTests;

public sealed class HttpBasicModelTests(HttpBasicModelTests.Fixture fixture)
    : BasicModelTests<string>(fixture), IClassFixture<HttpBasicModelTests.Fixture>
{
    public new sealed class Fixture : BasicModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsBasicModelTests(GrainsBasicModelTests.Fixture fixture)
    : BasicModelTests<string>(fixture), IClassFixture<GrainsBasicModelTests.Fixture>
{
    public new sealed class Fixture : BasicModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
