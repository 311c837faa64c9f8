using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests.Support;
using VectorData.ConformanceTests.TypeTests;

namespace Vectord.VectorData.Conformance.Tests.TypeTests;

/// <summary>The suite's data type tests, with what Vectord does not store declared.</summary>
public abstract class VectordDataTypeTests(DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture fixture)
    : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>(fixture)
{
    // A filter compares a metadata value with one scalar (or tests an array for one of some values): the connector
    // refuses equality with a whole array (NotSupportedException), so string arrays are stored and read but not
    // filtered on by equality.
    [Fact]
    public override Task String_array()
        => Test<string[]>("StringArray", ["foo", "bar"], ["foo", "baz"], isFilterable: false);

    /// <summary>The data property types the connector refuses when it builds a collection's model: data properties are
    /// the record's JSON metadata, and it maps string, int, long, double, float, decimal, bool, Guid, DateTime,
    /// DateTimeOffset (nullable or not) and arrays/lists of these; byte, short, DateOnly and TimeOnly are not among them.</summary>
    public static Type[] Unsupported { get; } = [typeof(byte), typeof(short), typeof(DateOnly), typeof(TimeOnly)];
}

public sealed class HttpDataTypeTests(HttpDataTypeTests.Fixture fixture)
    : VectordDataTypeTests(fixture), IClassFixture<HttpDataTypeTests.Fixture>
{
    public new sealed class Fixture : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Http;

        public override Type[] UnsupportedDefaultTypes => Unsupported;
    }
}

public sealed class GrainsDataTypeTests(GrainsDataTypeTests.Fixture fixture)
    : VectordDataTypeTests(fixture), IClassFixture<GrainsDataTypeTests.Fixture>
{
    public new sealed class Fixture : DataTypeTests<string, DataTypeTests<string>.DefaultRecord>.Fixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;

        public override Type[] UnsupportedDefaultTypes => Unsupported;
    }
}
