using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vectord.Gateway.Json;

/// <summary>The search bodies: one search object, and the searches of a batch.</summary>
internal ref partial struct VectorBodyReader
{
    private bool TrySearch([NotNullWhen(true)] out SearchRequest? request)
    {
        request = null;
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject || !TrySearchObject(out request))
        {
            return false;
        }
        return AtEndOfDocument();
    }

    private bool TrySearchBatch([NotNullWhen(true)] out SearchBatchRequest? request)
    {
        request = null;
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        SearchRequest?[]? searches = null;
        bool seenSearches = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("searches"u8))
            {
                if (!First(ref seenSearches) || !TrySearches(out searches))
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
        request = new SearchBatchRequest(searches);
        return true;
    }

    /// <summary>The searches of a batch; a null entry, or more than a batch may carry, is left to the serializer
    /// (which names it).</summary>
    private bool TrySearches(out SearchRequest?[]? searches)
    {
        searches = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var list = new List<SearchRequest?>();
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            if (list.Count == SearchQuery.MaxBatch || _reader.TokenType != JsonTokenType.StartObject || !TrySearchObject(out SearchRequest? search))
            {
                return false;
            }
            list.Add(search);
        }
        searches = [.. list];
        return true;
    }

    /// <summary>One search object, its '{' just read; leaves the reader on its '}'.</summary>
    private bool TrySearchObject([NotNullWhen(true)] out SearchRequest? request)
    {
        request = null;
        float[]? vector = null;
        int? k = null, ef = null;
        JsonElement? filter = null;
        string? consistency = null, fusion = null, @using = null;
        TextSearch? text = null;
        float? alpha = null;
        bool seenVector = false, seenK = false, seenEf = false, seenFilter = false, seenConsistency = false;
        bool seenText = false, seenFusion = false, seenAlpha = false, seenUsing = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("vector"u8))
            {
                if (!First(ref seenVector) || !TryVector(out vector))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("using"u8))
            {
                if (!First(ref seenUsing) || !TryString(out @using))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("k"u8))
            {
                if (!First(ref seenK) || !TryInt(out k))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("ef"u8))
            {
                if (!First(ref seenEf) || !TryInt(out ef))
                {
                    return false;
                }
            }
            else if (_reader.ValueTextEquals("filter"u8))
            {
                if (!First(ref seenFilter))
                {
                    return false;
                }
                filter = ReadElement();
            }
            else if (_reader.ValueTextEquals("consistency"u8))
            {
                if (!First(ref seenConsistency) || !_reader.Read() || _reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
                consistency = _reader.GetString();
            }
            else if (_reader.ValueTextEquals("fusion"u8))
            {
                if (!First(ref seenFusion) || !_reader.Read() || _reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
                fusion = _reader.GetString();
            }
            else if (_reader.ValueTextEquals("alpha"u8))
            {
                if (!First(ref seenAlpha) || !_reader.Read() || _reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
                {
                    return false;
                }
                if (_reader.TokenType == JsonTokenType.Number)
                {
                    if (!_reader.TryGetSingle(out float weight) || !float.IsFinite(weight))
                    {
                        return false;
                    }
                    alpha = weight;
                }
            }
            else if (_reader.ValueTextEquals("text"u8))
            {
                if (!First(ref seenText) || !_reader.Read() || _reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
                {
                    return false;
                }
                text = JsonSerializer.Deserialize(ref _reader, GatewayJsonContext.Default.TextSearch);
            }
            else
            {
                SkipValue();   // unknown fields are ignored, as by the serializer
            }
        }
        if (_reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }
        request = new SearchRequest(vector, k, ef, filter, consistency, text, fusion, alpha, @using);
        return true;
    }
}
