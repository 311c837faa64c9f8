using Vectord.Hnsw.Graph;

namespace Vectord.Hnsw.Tests;

/// <summary>The visited set's one-byte epochs: a traversal never sees the marks of an earlier one, across wraps.</summary>
public sealed class VisitedSetTests
{
    [Fact]
    public void Each_traversal_starts_empty_across_many_epoch_wraps()
    {
        var visited = new VisitedSet();
        var random = new Random(4);
        for (int traversal = 0; traversal < 1000; traversal++)
        {
            visited.Reset(500);
            var seen = new HashSet<int>();
            for (int i = 0; i < 200; i++)
            {
                int node = random.Next(500);
                Assert.Equal(seen.Add(node), visited.TryVisit(node));
            }
        }
    }

    [Fact]
    public void Growing_keeps_nothing_marked_and_the_epoch_never_zero()
    {
        var visited = new VisitedSet();
        for (int traversal = 0; traversal < 600; traversal++)
        {
            visited.Reset(10 + traversal);
            Assert.NotEqual(0, visited.Epoch);
            Assert.True(visited.Marks.Length >= 10 + traversal);
            for (int node = 0; node < 10 + traversal; node++)
            {
                Assert.True(visited.TryVisit(node), $"node {node} was marked at the start of traversal {traversal}");
            }
        }
    }
}
