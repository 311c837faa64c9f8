using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.TypeTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.TypeTests;

public sealed class HttpEmbeddingTypeTests(HttpEmbeddingTypeTests.Fixture fixture)
    : EmbeddingTypeTests<Guid>(fixture), IClassFixture<HttpEmbeddingTypeTests.Fixture>
{
    public new sealed class Fixture : EmbeddingTypeTests<Guid>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsEmbeddingTypeTests(GrainsEmbeddingTypeTests.Fixture fixture)
    : EmbeddingTypeTests<Guid>(fixture), IClassFixture<GrainsEmbeddingTypeTests.Fixture>
{
    public new sealed class Fixture : EmbeddingTypeTests<Guid>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
