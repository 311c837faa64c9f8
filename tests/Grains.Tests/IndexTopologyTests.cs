using Vectord.Grains.Replicas;

namespace Vectord.Grains.Tests;

/// <summary>A reader keeps its part clients (and what they learnt of the copies) while the index it reads is the same
/// incarnation at the same spec revision, however often its manifest is read again.</summary>
public sealed class IndexTopologyTests
{
    private static IndexSpec Spec(int revision = 0) =>
        new(8, Shards: 2, Replicas: 2, TextFields: [new IndexTextField("body")], Revision: revision);

    [Fact]
    public void Specs_read_into_other_arrays_are_the_same_topology()
    {
        Assert.Equal(new IndexTopology(Spec(), "g1"), new IndexTopology(Spec(), "g1"));
        Assert.Equal(new IndexTopology(Spec(), "g1").GetHashCode(), new IndexTopology(Spec(), "g1").GetHashCode());
    }

    [Fact]
    public void Another_revision_or_incarnation_is_another_topology()
    {
        Assert.NotEqual(new IndexTopology(Spec(), "g1"), new IndexTopology(Spec(revision: 1), "g1"));
        Assert.NotEqual(new IndexTopology(Spec(), "g1"), new IndexTopology(Spec(), "g2"));
    }
}
