namespace Vectord.Cli.Formats;

/// <summary>Where a text format keeps each item's id and vector: the names of its JSON fields or CSV columns.</summary>
internal sealed record FieldNames(string Id = FieldNames.DefaultId, string Vector = FieldNames.DefaultVector)
{
    /// <summary>The default id field.</summary>
    public const string DefaultId = "id";

    /// <summary>The default vector field.</summary>
    public const string DefaultVector = "vector";

    /// <summary>The field holding the metadata in the export format.</summary>
    public const string Metadata = "metadata";
}
