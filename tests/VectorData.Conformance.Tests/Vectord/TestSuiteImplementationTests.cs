using VectorData.ConformanceTests;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>Checks that every test base of the suite has a Vectord implementation (none is ignored).</summary>
public sealed class VectordTestSuiteImplementationTests : TestSuiteImplementationTests;
