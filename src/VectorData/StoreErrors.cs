using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData;

/// <summary>Turns a failure of the service or of the way to it into the <see cref="VectorStoreException"/> MEVD callers
/// expect, keeping the original (a <see cref="VectordException"/> with its message, an HTTP or Orleans error) as the
/// inner exception. Mistakes of the caller (unsupported filters, bad arguments) are not wrapped.</summary>
internal static class StoreErrors
{
    /// <summary>The name of the store in <see cref="VectorStoreException.VectorStoreSystemName"/> and metadata.</summary>
    public const string SystemName = "vectord";

    /// <summary>Runs <paramref name="operation"/>, wrapping a store failure.</summary>
    public static async Task<T> RunAsync<T>(string? collection, string operationName, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw new VectorStoreException($"{operationName} failed: {e.Message}", e)
            {
                VectorStoreSystemName = SystemName,
                CollectionName = collection,
                OperationName = operationName,
            };
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/>, for an operation without a result.</summary>
    public static Task RunAsync(string? collection, string operationName, Func<Task> operation) =>
        RunAsync(collection, operationName, async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        });

    private static bool IsStoreFailure(Exception e) =>
        e is VectordException or HttpRequestException or TimeoutException or Orleans.Runtime.OrleansException;
}
