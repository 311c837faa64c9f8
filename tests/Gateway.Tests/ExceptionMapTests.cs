using Vectord.Gateway.Infrastructure;

namespace Vectord.Gateway.Tests;

/// <summary>The one exception map to HTTP: a node out of memory answers 507 like a full index, never 500.</summary>
public sealed class ExceptionMapTests
{
    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2201", Justification = "the map is given the exception the runtime throws")]
    public void Running_out_of_memory_is_507_saying_so()
    {
        var (status, detail) = VectordExceptionHandler.Map(new OutOfMemoryException());
        Assert.Equal(507, status);
        Assert.Contains("memory", detail, StringComparison.Ordinal);
        Assert.Equal(507, VectordExceptionHandler.Map(new IndexFullException("full")).Status);
    }
}
