using VectorData.ConformanceTests;
using VectorData.ConformanceTests.ModelTests;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>Checks that every test base of the suite has a Vectord implementation, but two.</summary>
/// <remarks>
/// Not implemented yet, and so not run: records with several vectors (<see cref="MultiVectorModelTests{TKey}"/>) and
/// records without one (<see cref="NoVectorModelTests{TKey}"/>). An index holds one unnamed vector per item, and the
/// connector refuses both models when it builds them (NotSupportedException); named vectors and payload-only items
/// are the part of the text-and-hybrid issue still open. Remove them from this list when the index has them.
/// </remarks>
public sealed class VectordTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override ICollection<Type> IgnoredTestBases { get; } = [typeof(MultiVectorModelTests<>), typeof(NoVectorModelTests<>)];
}
