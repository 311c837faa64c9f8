using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.Support;
using VectorData.ConformanceTests.TypeTests;

namespace Vectord.VectorData.Conformance.Tests.TypeTests;

/// <summary>The suite's data type tests: every type the suite tests is stored in the item's JSON metadata.</summary>
public abstract class VectordDataTypeTests(DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture fixture)
    : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>(fixture)
{
    // A filter compares a metadata value with one scalar (or tests an array for one of some values): the connector
    // refuses equality with a whole array (NotSupportedException), so string arrays are stored and read but not
    // filtered on by equality.
    [Fact]
    public override Task String_array()
        => Test<string[]>("StringArray", ["foo", "bar"], ["foo", "baz"], isFilterable: false);

}

public sealed class HttpDataTypeTests(HttpDataTypeTests.Fixture fixture)
    : VectordDataTypeTests(fixture), IClassFixture<HttpDataTypeTests.Fixture>
{
    public new sealed class Fixture : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;
    }
}

public sealed class GrainsDataTypeTests(GrainsDataTypeTests.Fixture fixture)
    : VectordDataTypeTests(fixture), IClassFixture<GrainsDataTypeTests.Fixture>
{
    public new sealed class Fixture : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;
    }
}
