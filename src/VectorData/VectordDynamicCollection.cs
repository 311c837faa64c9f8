using Microsoft.Extensions.VectorData.ProviderServices;
using Vectord.VectorData.Transport;

namespace Vectord.VectorData;

/// <summary>A Vectord index as a collection of dynamic records, <c>Dictionary&lt;string, object?&gt;</c> keyed by
/// property name, shaped by a <see cref="Microsoft.Extensions.VectorData.VectorStoreCollectionDefinition"/>. Obtain it
/// from <see cref="VectordVectorStore.GetDynamicCollection"/>.</summary>
#pragma warning disable CA1711 // MEVD names its collections "...Collection".
public sealed class VectordDynamicCollection : VectordCollection<object, Dictionary<string, object?>>
#pragma warning restore CA1711
{
    internal VectordDynamicCollection(IVectordTransport transport, string name, CollectionModel model, int shards, int replicas)
        : base(transport, name, model, shards, replicas)
    {
    }
}
