namespace Vectord.VectorData.Tests;

/// <summary>Reads an index straight from its grain, to check what the connector wrote.</summary>
public static class GrainsExtensions
{
    /// <summary>The index's info.</summary>
    public static Task<IndexInfo> GetAsync(this IGrainFactory grains, string name) =>
        grains.GetGrain<IVectorIndexGrain>(name).GetInfoAsync();
}
