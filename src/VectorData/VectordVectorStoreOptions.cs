using Microsoft.Extensions.AI;

namespace Vectord.VectorData;

/// <summary>Options of a <see cref="VectordVectorStore"/>.</summary>
public sealed class VectordVectorStoreOptions
{
    /// <summary>Generates the vectors of properties and searches whose values are not vectors (e.g. strings), for
    /// every collection that does not set its own.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Parts a collection's index is spread over when the store creates it, 1–64 (0: one).</summary>
    public int Shards { get; set; }

    /// <summary>Copies of each part of a collection's index when the store creates it, each on another silo: 1–8 and at
    /// most the cluster's active silo count (0: one). Searches spread over the copies and go on when a silo dies.</summary>
    public int Replicas { get; set; }
}
