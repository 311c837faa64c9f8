using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectord;

/// <summary>
/// An item's metadata: one JSON value as its UTF-8 bytes, kept byte for byte from the request that added it to every
/// answer that returns it (an index checks it when the item is added: well-formed JSON, at most
/// <see cref="ItemLimits.MaxMetadataBytes"/> bytes). Immutable; equal when the bytes are. Text converts to it
/// implicitly (<c>new IndexItem("a", vector, """{"price":3}""")</c>) and <see cref="ToString"/> gives the text back.
/// In JSON it is the value itself: absent means no metadata, an explicit <c>null</c> is the metadata <c>null</c>.
/// Between silos and clients it is sent as a string is (<see cref="ItemMetadataCodec"/>), so a peer built when
/// metadata was a <see cref="string"/> reads and writes the same fields.
/// </summary>
[Immutable, Alias("vectord.ItemMetadata")]
[JsonConverter(typeof(ItemMetadataJsonConverter))]
public sealed class ItemMetadata : IEquatable<ItemMetadata>
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _utf8;

    /// <summary>True when the bytes are known to be one well-formed JSON value (they were parsed or checked in this
    /// process), so writing them into an answer needs no second check. Not sent with the value.</summary>
    private readonly bool _wellFormed;

    private ItemMetadata(byte[] utf8, bool wellFormed)
    {
        _utf8 = utf8;
        _wellFormed = wellFormed;
    }

    /// <summary>The JSON value's UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>The number of bytes.</summary>
    public int Length => _utf8.Length;

    /// <summary>A copy of <paramref name="utf8"/>, meant to be one JSON value (the index that takes it checks it).</summary>
    public static ItemMetadata FromUtf8(ReadOnlySpan<byte> utf8) => new(utf8.ToArray(), wellFormed: false);

    /// <summary>The UTF-8 of <paramref name="json"/>, meant to be one JSON value.</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> holds an unpaired surrogate, which no UTF-8 can carry.</exception>
    public static ItemMetadata FromText(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return new(s_strictUtf8.GetBytes(json), wellFormed: false);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("metadata text holds an unpaired surrogate", nameof(json), e);
        }
    }

    /// <summary>The metadata of a JSON text (<see cref="FromText"/>); null for null.</summary>
    /// <exception cref="ArgumentException">The text holds an unpaired surrogate.</exception>
    [return: NotNullIfNotNull(nameof(json))]
    public static implicit operator ItemMetadata?(string? json) => json is null ? null : FromText(json);

    /// <summary>Takes <paramref name="utf8"/> as it is, without a copy: the caller gives the array up and never changes
    /// it. <paramref name="wellFormed"/>: it was parsed or checked as one JSON value in this process.</summary>
    internal static ItemMetadata Own(byte[] utf8, bool wellFormed) => new(utf8, wellFormed);

    /// <summary>The array itself, for a layer of the service that keeps it (never changed by anyone).</summary>
    internal byte[] Array => _utf8;

    /// <summary>True when the bytes are known here to be one well-formed JSON value.</summary>
    internal bool IsWellFormed => _wellFormed;

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8);

    /// <inheritdoc />
    public bool Equals(ItemMetadata? other) => other is not null && _utf8.AsSpan().SequenceEqual(other._utf8);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ItemMetadata);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8);
        return hash.ToHashCode();
    }

    /// <summary>Equality of the bytes.</summary>
    public static bool operator ==(ItemMetadata? left, ItemMetadata? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of the bytes.</summary>
    public static bool operator !=(ItemMetadata? left, ItemMetadata? right) => !(left == right);
}

/// <summary>Reads any JSON value as its exact bytes and writes them back unchanged (checked on the way out unless they
/// are known to be well-formed).</summary>
public sealed class ItemMetadataJsonConverter : JsonConverter<ItemMetadata>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override ItemMetadata Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The serializer hands a converter the whole value already buffered: one parse, then its bytes as received.
        using var document = JsonDocument.ParseValue(ref reader);
        return ItemMetadata.Own(JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray(), wellFormed: true);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ItemMetadata value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: value.IsWellFormed);
    }
}
