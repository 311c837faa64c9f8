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
}
