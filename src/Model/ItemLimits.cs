namespace Vectord;

/// <summary>
/// The size limits of what one call may carry, the one place they are written. They bound the memory a single
/// request can take on any node: a batch, an id, an item's metadata. The grains enforce them on every write; the
/// gateway checks them again while it reads a body, so that an oversized request fails before it is materialised.
/// </summary>
public static class ItemLimits
{
    /// <summary>Longest item id, in bytes of UTF-8.</summary>
    public const int MaxIdBytes = 1024;

    /// <summary>Largest metadata of one item, in bytes of UTF-8 JSON.</summary>
    public const int MaxMetadataBytes = 64 * 1024;

    /// <summary>Largest body of an HTTP call (<c>add</c>, <c>delete</c> and the other writes): 64 MiB, as the contract
    /// says; the gateway answers a larger one 413 and a client splits its batches to stay below it.</summary>
    public const long MaxRequestBodyBytes = 64L * 1024 * 1024;

    /// <summary>Most items (or ids) in one add or delete call.</summary>
    public const int MaxBatchItems = 10_000;

    /// <summary>Refuses a batch of <paramref name="count"/> entries in <paramref name="field"/> that is larger than
    /// one call may carry. A reader may call it with the count so far plus one, before it materialises an entry.</summary>
    /// <exception cref="InvalidIndexArgumentException"><c>field: more than 10000 in one call (split the batch)</c>.</exception>
    public static void ThrowIfTooMany(string field, int count)
    {
        if (count > MaxBatchItems)
        {
            throw new InvalidIndexArgumentException($"{field}: more than {MaxBatchItems} in one call (split the batch)");
        }
    }

    /// <summary>What is wrong with metadata of <paramref name="bytes"/> bytes of UTF-8, or null.</summary>
    public static string? CheckMetadata(long bytes) =>
        bytes > MaxMetadataBytes ? $"metadata is {bytes} bytes (at most {MaxMetadataBytes})" : null;

    /// <summary>Whether <paramref name="text"/> is well-formed UTF-16: every surrogate is one of a pair. A string
    /// with an unpaired surrogate (which JSON can write as <c>"\ud83d"</c>) has no UTF-8 form.</summary>
    public static bool IsWellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; }
            else if (char.IsSurrogate(text[i])) { return false; }
        }
        return true;
    }
}
