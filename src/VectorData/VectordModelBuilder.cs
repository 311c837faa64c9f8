using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Vectord.VectorData;

/// <summary>Builds and checks a collection's model: one key of a type <see cref="ItemIds"/> maps, any number of vectors
/// (one: the index's vector; several: its named vectors; none: items without a vector), data properties that JSON
/// metadata can carry.</summary>
internal sealed class VectordModelBuilder() : CollectionModelBuilder(new CollectionModelBuildingOptions
{
    RequiresAtLeastOneVector = false,
    SupportsMultipleVectors = true,
})
{
    /// <summary>The vector types stored natively; others need an embedding generator.</summary>
    public const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float>, float[]";

    /// <summary>Whether values of <paramref name="type"/> are stored as they are (no embedding generation).</summary>
    public static bool IsNativeVectorType(Type type) =>
        type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?)
        || type == typeof(Embedding<float>) || type == typeof(float[]);

    /// <inheritdoc/>
    protected override void ValidateKeyProperty(KeyPropertyModel keyProperty)
    {
        base.ValidateKeyProperty(keyProperty);
        if (!ItemIds.IsSupported(keyProperty.Type))
        {
            throw new NotSupportedException(
                $"key property '{keyProperty.ModelName}' has type '{keyProperty.Type.Name}'; Vectord keys are string, Guid, int or long");
        }
    }

    /// <inheritdoc/>
    protected override bool SupportsKeyAutoGeneration(Type keyPropertyType) => keyPropertyType == typeof(Guid);

    /// <inheritdoc/>
    protected override void ValidateProperty(PropertyModel propertyModel, VectorStoreCollectionDefinition? definition)
    {
        base.ValidateProperty(propertyModel, definition);
        if (propertyModel is VectorPropertyModel vector)
        {
            Distances.ToIndex(vector.DistanceFunction);
            if (vector.IndexKind is not (null or IndexKind.Hnsw))
            {
                throw new NotSupportedException($"index kind '{vector.IndexKind}' is not supported by Vectord (use {IndexKind.Hnsw})");
            }
        }
    }

    /// <inheritdoc/>
    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = "string, byte, short, int, long, double, float, decimal, bool, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, or arrays/lists of these";
        type = Nullable.GetUnderlyingType(type) ?? type;
        return IsScalar(type)
            || (type.IsArray && IsScalar(type.GetElementType()!))
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsScalar(type.GenericTypeArguments[0]));

        static bool IsScalar(Type type) =>
            type == typeof(string) || type == typeof(byte) || type == typeof(short) || type == typeof(int) || type == typeof(long)
            || type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(bool) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly);
    }

    /// <inheritdoc/>
    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return IsNativeVectorType(type);
    }
}
