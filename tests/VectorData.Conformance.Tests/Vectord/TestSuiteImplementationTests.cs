using VectorData.ConformanceTests;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>Checks that every test base of the suite has a Vectord implementation.</summary>
public sealed class VectordTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override ICollection<Type> IgnoredTestBases { get; } = [];
}
