using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Vectord.Gateway.Infrastructure;

/// <summary>A reader that answers some bodies faster than the serializer and declines (false) the others.</summary>
internal delegate bool FastBodyReader<T>(ReadOnlySpan<byte> json, [NotNullWhen(true)] out T? value)
    where T : class;

/// <summary>Reads a JSON request body with the gateway's source-generated contracts.</summary>
internal static class RequestBody
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads the whole body (within <see cref="GatewayLimits.BodyReadTimeout"/>, else a 408), then deserialises it: with <paramref name="fast"/> when given and it answers, else
    /// with the serializer. Kestrel's body-size limit surfaces as a 413 <see cref="BadHttpRequestException"/>;
    /// an empty body, a JSON <c>null</c>, malformed JSON or a wrong type surface as a <see cref="JsonException"/>
    /// (400) whose message says what is wrong.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, FastBodyReader<T>? fast = null)
        where T : class
    {
        PipeReader body = request.BodyReader;
        TimeSpan timeout = request.HttpContext.RequestServices.GetRequiredService<IOptions<GatewayLimits>>().Value.BodyReadTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        deadline.CancelAfter(timeout);
        ReadResult read;
        try
        {
            read = await body.ReadAsync(deadline.Token);
            while (!read.IsCompleted)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);   // keep it all, wait for more
                read = await body.ReadAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"the request body did not arrive within {timeout.TotalSeconds:0.#} s", StatusCodes.Status408RequestTimeout);
        }
        ReadOnlySequence<byte> buffer = read.Buffer;
        try
        {
            if (buffer.IsSingleSegment)
            {
                return Deserialize(buffer.FirstSpan, typeInfo, fast);
            }
            byte[] joined = ArrayPool<byte>.Shared.Rent(checked((int)buffer.Length));
            try
            {
                buffer.CopyTo(joined);
                return Deserialize(joined.AsSpan(0, (int)buffer.Length), typeInfo, fast);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }
        finally
        {
            body.AdvanceTo(buffer.End);
        }
    }

    /// <summary>Deserialises a whole body (a leading UTF-8 byte order mark is ignored).</summary>
    internal static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, FastBodyReader<T>? fast)
        where T : class
    {
        if (json.StartsWith(Utf8Bom))
        {
            json = json[Utf8Bom.Length..];
        }
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new JsonException("request body is required");
        }
        if (fast is not null && fast(json, out T? value))
        {
            return value;
        }
        return JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("request body must be a JSON object, not null");
    }
}
