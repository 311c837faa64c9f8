using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.Support;
using VectorData.ConformanceTests.TypeTests;

namespace Vectord.VectorData.Conformance.Tests.TypeTests;

/// <summary>The suite's key type tests (Guid, with auto-generation), and the other key types Vectord supports:
/// string, int and long (stored as the item id's text; not auto-generated).</summary>
public abstract class VectordKeyTypeTests(KeyTypeTests.Fixture fixture) : KeyTypeTests(fixture)
{
    [Fact]
    public Task Int_key() => Test(8);

    [Fact]
    public Task Long_key() => Test(8L);

    [Fact]
    public Task String_key() => Test("foo", "bar");
}

public sealed class HttpKeyTypeTests(HttpKeyTypeTests.Fixture fixture)
    : VectordKeyTypeTests(fixture), IClassFixture<HttpKeyTypeTests.Fixture>
{
    public new sealed class Fixture : KeyTypeTests.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsKeyTypeTests(GrainsKeyTypeTests.Fixture fixture)
    : VectordKeyTypeTests(fixture), IClassFixture<GrainsKeyTypeTests.Fixture>
{
    public new sealed class Fixture : KeyTypeTests.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
