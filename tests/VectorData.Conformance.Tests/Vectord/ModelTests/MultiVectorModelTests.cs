using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.ModelTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.ModelTests;

public sealed class HttpMultiVectorModelTests(HttpMultiVectorModelTests.Fixture fixture)
    : MultiVectorModelTests<string>(fixture), IClassFixture<HttpMultiVectorModelTests.Fixture>
{
    public new sealed class Fixture : MultiVectorModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsMultiVectorModelTests(GrainsMultiVectorModelTests.Fixture fixture)
    : MultiVectorModelTests<string>(fixture), IClassFixture<GrainsMultiVectorModelTests.Fixture>
{
    public new sealed class Fixture : MultiVectorModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
