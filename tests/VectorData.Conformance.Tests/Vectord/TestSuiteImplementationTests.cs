using VectorData.ConformanceTests;
using VectorData.ConformanceTests.ModelTests;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>Checks that every test base of the suite has a Vectord implementation, but one.</summary>
/// <remarks>
/// Not implemented yet, and so not run: records with several vectors (<see cref="MultiVectorModelTests{TKey}"/>). An
/// index holds one unnamed vector per item (or none), and the connector refuses such a model when it builds it
/// (NotSupportedException); named vectors are the part of the text-and-hybrid issue still open. Remove it from this
/// list when the index has them.
/// </remarks>
public sealed class VectordTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override ICollection<Type> IgnoredTestBases { get; } = [typeof(MultiVectorModelTests<>)];
}
