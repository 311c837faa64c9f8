namespace Vectord.Hnsw.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void DistanceKindsAreDistinct() => Assert.NotEqual(Vectord.Hnsw.DistanceKind.Cosine, Vectord.Hnsw.DistanceKind.Dot);
}
