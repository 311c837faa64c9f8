using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;
using System.Text.Json;

namespace Vectord.Gateway.Json;

/// <summary>
/// Reads the bodies that carry vectors, search, search/batch and add, straight from the request's bytes. It reads every
/// property of <see cref="SearchRequest"/>, <see cref="AddRequest"/> and <see cref="AddItem"/> (a test holds the
/// sets equal) and skips any other, as the serializer does. Their structure goes through a
/// <see cref="Utf8JsonReader"/>, but each vector's numbers are scanned directly from the text with
/// <see cref="DecimalFloat.TryScan"/>, several times faster than reading them token by token; the reader then
/// resumes after the array from its saved state, as if it had read every element itself.
/// <para>
/// It answers only bodies it reads exactly as the serializer would with <see cref="GatewayJsonContext"/> (the
/// same values; every element through the same fast number path). For anything else (malformed JSON, a number
/// beyond that path, a property given twice, text that is not UTF-8) it returns false and the caller
/// deserialises with the serializer, whose answer, and error message, is then the reference.
/// </para>
/// </summary>
internal ref partial struct VectorBodyReader
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;
    private int _offset;   // where the current reader's input starts in _json

    private VectorBodyReader(ReadOnlySpan<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = GatewayJsonContext.Default.Options.MaxDepth });
    }

    /// <summary>Reads a <c>POST .../search</c> body; false leaves it to the serializer.</summary>
    public static bool TryReadSearch(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SearchRequest? request) =>
        TryRead(json, static (ref VectorBodyReader body, out SearchRequest? value) => body.TrySearch(out value), out request);

    /// <summary>Reads a <c>POST .../search/batch</c> body; false leaves it to the serializer.</summary>
    public static bool TryReadSearchBatch(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SearchBatchRequest? request) =>
        TryRead(json, static (ref VectorBodyReader body, out SearchBatchRequest? value) => body.TrySearchBatch(out value), out request);

    /// <summary>Reads a <c>POST .../add</c> body; false leaves it to the serializer.</summary>
    public static bool TryReadAdd(ReadOnlySpan<byte> json, [NotNullWhen(true)] out AddRequest? request) =>
        TryRead(json, static (ref VectorBodyReader body, out AddRequest? value) => body.TryAdd(out value), out request);

    private delegate bool BodyRead<T>(ref VectorBodyReader body, out T? value) where T : class;

    /// <summary>Runs one body's read; anything the reader throws on (malformed JSON) leaves the body to the serializer.</summary>
    private static bool TryRead<T>(ReadOnlySpan<byte> json, BodyRead<T> read, [NotNullWhen(true)] out T? value) where T : class
    {
        var body = new VectorBodyReader(json);
        try
        {
            return read(ref body, out value) && value is not null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            value = null;
            return false;
        }
    }

    private bool TryAdd([NotNullWhen(true)] out AddRequest? request)
    {
        request = null;
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        AddItem?[]? items = null;
        bool seenItems = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("items"u8))
            {
                if (!First(ref seenItems) || !TryItems(out items))
                {
                    return false;
                }
            }
            else
            {
                SkipValue();
            }
        }
        if (!AtEndOfDocument())
        {
            return false;
        }
        request = new AddRequest(items);
        return true;
    }

    private bool TryItems(out AddItem?[]? items)
    {
        items = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var list = new List<AddItem?>();
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            // Fails here, before the rest of the body becomes items: the cap is the grain's, checked early.
            ItemLimits.ThrowIfTooMany("items", list.Count + 1);
            if (_reader.TokenType == JsonTokenType.Null)
            {
                list.Add(null);
            }
            else if (_reader.TokenType != JsonTokenType.StartObject || !TryItem(list.Count, out AddItem? item))
            {
                return false;
            }
            else
            {
                list.Add(item);
            }
        }
        items = [.. list];
        return true;
    }

    private bool TryItem(int position, [NotNullWhen(true)] out AddItem? item)
    {
        item = null;
        string? id = null;
        float[]? vector = null;
        Dictionary<string, float[]>? vectors = null;
        ItemMetadata? metadata = null;
        bool seenId = false, seenVector = false, seenMetadata = false, seenVectors = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("id"u8))
            {
                if (!First(ref seenId) || !TryString(out id))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("vector"u8))
            {
                if (!First(ref seenVector) || !TryVector(out vector))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("vectors"u8))
            {
                if (!First(ref seenVectors) || !TryNamedVectors(out vectors))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("metadata"u8))
            {
                if (!First(ref seenMetadata))
                {
                    return false;
                }
                metadata = ReadRawValue(position);
            }
            else
            {
                SkipValue();
            }
        }
        item = new AddItem(id, vector, metadata, vectors);
        return true;
    }

    /// <summary>An item's named vectors after the property name: null, or an object of arrays of numbers, each scanned
    /// as <see cref="TryVector"/> does; a name given twice, or a vector that is null, leaves the body to the serializer.</summary>
    private bool TryNamedVectors(out Dictionary<string, float[]>? vectors)
    {
        vectors = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var named = new Dictionary<string, float[]>(StringComparer.Ordinal);
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = _reader.GetString()!;
            if (!TryVector(out float[]? vector) || vector is null || !named.TryAdd(name, vector))
            {
                return false;
            }
        }
        if (_reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }
        vectors = named;
        return true;
    }

    /// <summary>The vector value after a property name: null, or an array of numbers scanned from the text.</summary>
    private bool TryVector(out float[]? vector)
    {
        vector = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        // The reader's state just inside '[': resumed at the closing ']', it reads the end of an array as if it
        // had read every element in between.
        JsonReaderState inside = _reader.CurrentState;
        if (!NumberArrayText.TryScan(_json, _offset + (int)_reader.BytesConsumed, out vector, out int close))
        {
            return false;
        }
        _offset = close;
        _reader = new Utf8JsonReader(_json[close..], isFinalBlock: true, inside);
        return _reader.Read() && _reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>Item <paramref name="position"/>'s metadata value, kept as its exact bytes (parsed here, so known to be
    /// well-formed); refused before it is copied when it is larger than an item may carry.</summary>
    /// <exception cref="ArgumentException">The value is not valid UTF-8: the serializer then reads the body and says so.</exception>
    private ItemMetadata ReadRawValue(int position)
    {
        _reader.Read();
        int start = _offset + (int)_reader.TokenStartIndex;
        _reader.Skip();
        int end = _offset + (int)_reader.BytesConsumed;
        if (ItemLimits.CheckMetadata(end - start) is { } large)
        {
            throw new InvalidIndexArgumentException($"items[{position}]: {large}");
        }
        ReadOnlySpan<byte> value = _json[start..end];
        if (!Utf8.IsValid(value))
        {
            throw new ArgumentException("metadata is not valid UTF-8");
        }
        return ItemMetadata.Own(value.ToArray(), wellFormed: true);
    }

    /// <summary>The value after a property name as a <see cref="JsonElement"/> of its own (a filter, read later with
    /// <see cref="FilterJson.Read(System.Text.Json.JsonElement, string)"/>), or null for JSON <c>null</c>, as the serializer reads a <c>JsonElement?</c>.</summary>
    private JsonElement? ReadElement()
    {
        _reader.Read();
        return _reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref _reader);
    }

    private bool TryInt(out int? value)
    {
        value = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.Number || !_reader.TryGetInt32(out int number))
        {
            return false;
        }
        value = number;
        return true;
    }

    private bool TryString(out string? value)
    {
        value = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        value = _reader.GetString();
        return true;
    }

    private void SkipValue()
    {
        _reader.Read();
        _reader.Skip();
    }

    /// <summary>True after the top-level object's end when nothing but whitespace follows.</summary>
    private bool AtEndOfDocument() => _reader.TokenType == JsonTokenType.EndObject && _reader.CurrentDepth == 0 && !_reader.Read();

    private static bool First(ref bool seen)
    {
        bool first = !seen;
        seen = true;
        return first;
    }
}
