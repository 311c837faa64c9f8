using Orleans.Concurrency;

namespace Vectord;

/// <summary>
/// Searches of an index that the silo a call reaches answers itself, beside the index's own grain: a stateless
/// worker, keyed by the index's name and a lane (<see cref="IndexReaders.Key"/>; calls on different lanes may reach
/// different silos, so a call that failed is sent again on another lane), that keeps the index's shape (fetched from the index grain, and kept while that
/// grain cannot be reached) and searches the index's parts directly, with the same checks and answers as
/// <see cref="IVectorIndexGrain.SearchBatchAsync"/>. While the silo holding the index grain is being replaced (it died,
/// or is shutting down), searches of an index whose parts are held by shard grains (sharded or replicated) go on
/// through it; the gateway turns to it when the index grain does not answer.
/// </summary>
[Alias("vectord.IIndexReaderGrain")]
public interface IIndexReaderGrain : IGrainWithStringKey
{
    /// <summary>The nearest items to each query, one list per query, as <see cref="IVectorIndexGrain.SearchBatchAsync"/>
    /// answers them.</summary>
    [Alias("SearchMany")]
    Task<SearchHit[][]> SearchBatchAsync(SearchQuery[] queries, CancellationToken cancellationToken = default);
}

/// <summary>The keys of an index's readers (<see cref="IIndexReaderGrain"/>).</summary>
public static class IndexReaders
{
    /// <summary>The key of the reader of index <paramref name="index"/> on lane <paramref name="lane"/>.</summary>
    public static string Key(string index, int lane) => $"{index}#{lane.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The index a reader's key names.</summary>
    public static string IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = key.LastIndexOf('#');
        return hash < 0 ? key : key[..hash];
    }
}
