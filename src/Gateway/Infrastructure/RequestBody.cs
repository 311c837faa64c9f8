using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vectord.Gateway.Infrastructure;

/// <summary>Reads a JSON request body with the gateway's source-generated contracts.</summary>
internal static class RequestBody
{
    /// <summary>
    /// Deserialises the body. Kestrel's body-size limit surfaces as a 413 <see cref="BadHttpRequestException"/>;
    /// an empty body, a JSON <c>null</c>, malformed JSON or a wrong type surface as a <see cref="JsonException"/>
    /// (400) whose message says what is wrong.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            throw new JsonException("request body is required");
        }
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex) when (ex.Path is null or "$" && ex.BytePositionInLine is 0 && ex.LineNumber is 0)
        {
            // Nothing was read: the body is empty (a chunked body without content).
            throw new JsonException("request body is required", ex);
        }
        return value ?? throw new JsonException("request body must be a JSON object, not null");
    }
}
