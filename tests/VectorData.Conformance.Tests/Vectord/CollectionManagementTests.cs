using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;

namespace Vectord.VectorData.Conformance.Tests;

public sealed class HttpCollectionManagementTests(HttpFixture fixture)
    : CollectionManagementTests<string>(fixture), IClassFixture<HttpFixture>;

public sealed class GrainsCollectionManagementTests(GrainsFixture fixture)
    : CollectionManagementTests<string>(fixture), IClassFixture<GrainsFixture>;
