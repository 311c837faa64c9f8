using Vectord.Contracts;
using Vectord.Gateway.Infrastructure;

namespace Vectord.Gateway.Tests;

/// <summary>The one exception map to HTTP: a node out of memory answers 507 like a full index, never 500.</summary>
public sealed class ExceptionMapTests
{
    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2201", Justification = "the map is given the exception the runtime throws")]
    public void Running_out_of_memory_is_507_saying_so()
    {
        var (status, _, detail) = VectordExceptionHandler.Map(new OutOfMemoryException());
        Assert.Equal(507, status);
        Assert.Contains("memory", detail, StringComparison.Ordinal);
        Assert.Equal(507, VectordExceptionHandler.Map(new IndexFullException("full")).Status);
    }

    [Fact]
    public void Every_status_the_gateway_answers_has_a_code_of_its_own_kind()
    {
        Assert.Equal(ProblemCodes.RouteNotFound, ProblemCodes.ForStatus(405));
        Assert.Equal(ProblemCodes.Unavailable, ProblemCodes.ForStatus(503));
        Assert.Equal("http_408", ProblemCodes.ForStatus(408));
        Assert.Equal((507, ProblemCodes.IndexFull),
            Pick(VectordExceptionHandler.Map(new IndexFullException("full"))));
        Assert.Equal((504, ProblemCodes.OutcomeUnknown),
            Pick(VectordExceptionHandler.Map(new TimeoutException())));
        Assert.Equal((503, ProblemCodes.IndexCorrupt),
            Pick(VectordExceptionHandler.Map(new IndexCorruptException("bad"))));
        Assert.Equal((503, ProblemCodes.StorageUnavailable),
            Pick(VectordExceptionHandler.Map(new StorageUnavailableException("down"))));

        static (int, string) Pick((int Status, string Code, string Detail) mapped) => (mapped.Status, mapped.Code);
    }
}
