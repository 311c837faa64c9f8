using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.ModelTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.ModelTests;

public sealed class HttpNoDataModelTests(HttpNoDataModelTests.Fixture fixture)
    : NoDataModelTests<string>(fixture), IClassFixture<HttpNoDataModelTests.Fixture>
{
    public new sealed class Fixture : NoDataModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsNoDataModelTests(GrainsNoDataModelTests.Fixture fixture)
    : NoDataModelTests<string>(fixture), IClassFixture<GrainsNoDataModelTests.Fixture>
{
    public new sealed class Fixture : NoDataModelTests<string>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
