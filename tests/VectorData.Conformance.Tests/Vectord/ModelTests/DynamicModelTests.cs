using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.ModelTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.ModelTests;

public sealed class HttpDynamicModelTests(HttpDynamicModelTests.Fixture fixture)
    : DynamicModelTests<string>(fixture), IClassFixture<HttpDynamicModelTests.Fixture>
{
    public new sealed class Fixture : DynamicModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsDynamicModelTests(GrainsDynamicModelTests.Fixture fixture)
    : DynamicModelTests<string>(fixture), IClassFixture<GrainsDynamicModelTests.Fixture>
{
    public new sealed class Fixture : DynamicModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
