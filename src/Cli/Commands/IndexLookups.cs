using Vectord.Client;

namespace Vectord.Cli.Commands;

/// <summary>What several commands read about an index.</summary>
internal static class IndexLookups
{
    /// <summary>The index, or null when it does not exist.</summary>
    public static async Task<IndexInfo?> FindAsync(VectordClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetIndexAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every id the index holds.</summary>
    public static async Task<HashSet<string>> IdsAsync(VectordClient client, string name, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in client.QueryAllItemsAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(item.Id);
        }
        return ids;
    }
}
