using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.ModelTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.ModelTests;

public sealed class HttpNoVectorModelTests(HttpNoVectorModelTests.Fixture fixture)
    : NoVectorModelTests<string>(fixture), IClassFixture<HttpNoVectorModelTests.Fixture>
{
    public new sealed class Fixture : NoVectorModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsNoVectorModelTests(GrainsNoVectorModelTests.Fixture fixture)
    : NoVectorModelTests<string>(fixture), IClassFixture<GrainsNoVectorModelTests.Fixture>
{
    public new sealed class Fixture : NoVectorModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
