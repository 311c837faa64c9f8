using Orleans.Concurrency;

namespace Vectord.Grains;

/// <summary>Internal side of an index used by its readers (<see cref="Replicas.IndexReaderGrain"/>), implemented by
/// <see cref="VectorIndexGrain"/>: the index's parameters and incarnation, from which a reader reaches its parts.</summary>
[Alias("vectord.IIndexTopologyGrain")]
public interface IIndexTopologyGrain : IGrainWithStringKey
{
    /// <summary>The index's effective parameters and incarnation.</summary>
    /// <exception cref="IndexNotFoundException">The index does not exist.</exception>
    [AlwaysInterleave, Alias("GetTopology")]
    Task<IndexTopology> GetTopologyAsync();
}

/// <summary>An index's parameters and incarnation.</summary>
/// <param name="Spec">Effective parameters.</param>
/// <param name="Generation">The incarnation its storage belongs to.</param>
[GenerateSerializer, Immutable, Alias("vectord.IndexTopology")]
public sealed record IndexTopology([property: Id(0)] IndexSpec Spec, [property: Id(1)] string Generation);
