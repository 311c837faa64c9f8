using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests.Support;

/// <summary>A plain store fixture over HTTP.</summary>
public sealed class HttpFixture : VectorStoreFixture
{
    /// <inheritdoc/>
    public override TestStore TestStore => VectordTestStore.Http;
}

/// <summary>A plain store fixture over grain calls.</summary>
public sealed class GrainsFixture : VectorStoreFixture
{
    /// <inheritdoc/>
    public override TestStore TestStore => VectordTestStore.Grains;
}
