namespace Vectord.Hnsw.Filtering;

/// <summary>What a <see cref="PayloadEntry"/> records about a path of an item's metadata.</summary>
public enum PayloadEntryKind
{
    /// <summary>The path holds <see cref="PayloadEntry.Value"/> (itself or as an array element).</summary>
    Value = 0,
    /// <summary>The path holds JSON <c>null</c> itself.</summary>
    Null = 1,
    /// <summary>The path holds an object or a non-empty array, so it is not empty even without a value.</summary>
    NonEmpty = 2,
}

/// <summary>One fact about an item's metadata that <see cref="PayloadIndex"/> indexes; see
/// <see cref="PayloadDocument.Extract"/>.</summary>
/// <param name="Path">The dotted path the fact is about.</param>
/// <param name="Kind">What the fact is.</param>
/// <param name="Value">The value, when <paramref name="Kind"/> is <see cref="PayloadEntryKind.Value"/>.</param>
public readonly record struct PayloadEntry(string Path, PayloadEntryKind Kind, PayloadValue Value);
