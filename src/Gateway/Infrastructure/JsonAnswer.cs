using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Writes a JSON answer in one piece: the body is serialised into a buffer first, so the response carries a
/// <c>Content-Length</c> and leaves in one write together with its headers. A body streamed by the serializer
/// goes out with chunked framing instead, its terminating chunk in a second write that the client waits for.
/// Used for every answer whose size the request bounds (search results, counts, an index, one item); the item
/// listing, which can run to megabytes, streams.
/// </summary>
internal static class JsonAnswer
{
    public const string ContentType = "application/json; charset=utf-8";
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>200 with <paramref name="value"/> as its body.</summary>
    public static JsonOk<T> Ok<T>(T value, JsonTypeInfo<T> typeInfo) => new(value, typeInfo);

    /// <summary>201 with <paramref name="value"/> as its body and <paramref name="location"/> as its <c>Location</c>.</summary>
    public static JsonCreated<T> Created<T>(string location, T value, JsonTypeInfo<T> typeInfo) => new(location, value, typeInfo);

    public static Task WriteAsync<T>(HttpContext httpContext, int statusCode, T value, JsonTypeInfo<T> typeInfo, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArrayBufferWriter<byte> buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        t_buffer = null;
        try
        {
            JsonSerializerOptions options = typeInfo.Options;
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, SkipValidation = true }))
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }
            HttpResponse response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = ContentType;
            response.ContentLength = buffer.WrittenCount;
            if (location is not null)
            {
                response.Headers.Location = location;
            }
            // Copied into the response pipe without a flush: the server sends headers and body together when the
            // request completes.
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= KeptBufferBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }
        return Task.CompletedTask;
    }

    public static void AddMetadata<T>(EndpointBuilder builder, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(T), ["application/json"]));
    }
}

/// <summary>200 with a JSON body written in one piece (<see cref="JsonAnswer"/>).</summary>
/// <typeparam name="T">The contract type, serialised with <see cref="GatewayJsonContext"/> (snake_case).</typeparam>
public sealed class JsonOk<T> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    private readonly JsonTypeInfo<T> _typeInfo;

    internal JsonOk(T value, JsonTypeInfo<T> typeInfo)
    {
        Value = value;
        _typeInfo = typeInfo;
    }

    /// <summary>The answer's body.</summary>
    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    /// <summary>200.</summary>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <summary><c>application/json; charset=utf-8</c>.</summary>
    public string ContentType => JsonAnswer.ContentType;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => JsonAnswer.WriteAsync(httpContext, StatusCodes.Status200OK, Value, _typeInfo);

    /// <inheritdoc />
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => JsonAnswer.AddMetadata<T>(builder, StatusCodes.Status200OK);
}

/// <summary>201 with a <c>Location</c> and a JSON body written in one piece (<see cref="JsonAnswer"/>).</summary>
/// <typeparam name="T">The contract type, serialised with <see cref="GatewayJsonContext"/> (snake_case).</typeparam>
public sealed class JsonCreated<T> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    private readonly JsonTypeInfo<T> _typeInfo;

    internal JsonCreated(string location, T value, JsonTypeInfo<T> typeInfo)
    {
        Location = location;
        Value = value;
        _typeInfo = typeInfo;
    }

    /// <summary>The created resource.</summary>
    public string Location { get; }

    /// <summary>The answer's body.</summary>
    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    /// <summary>201.</summary>
    public int? StatusCode => StatusCodes.Status201Created;

    /// <summary><c>application/json; charset=utf-8</c>.</summary>
    public string ContentType => JsonAnswer.ContentType;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) =>
        JsonAnswer.WriteAsync(httpContext, StatusCodes.Status201Created, Value, _typeInfo, Location);

    /// <inheritdoc />
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => JsonAnswer.AddMetadata<T>(builder, StatusCodes.Status201Created);
}
