using System.Net;
using System.Text.Json;

namespace Vectord.Client;

/// <summary>
/// The one place where an error answer (RFC 9457 ProblemDetails) becomes an exception: the
/// <see cref="VectordException"/> a grain call raises for the same error, with the answer's status and its
/// <c>detail</c> as the message, so that callers catch the same types over HTTP as over direct grain calls.
/// </summary>
internal static class ProblemAnswers
{
    /// <summary>The exception for an error <paramref name="status"/> whose detail is <paramref name="detail"/>.</summary>
    public static VectordException ToException(HttpStatusCode status, string detail) => status switch
    {
        HttpStatusCode.NotFound => new IndexNotFoundException(detail) { Status = (int)status },
        HttpStatusCode.Conflict => new IndexAlreadyExistsException(detail) { Status = (int)status },
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge =>
            new InvalidIndexArgumentException(detail) { Status = (int)status },
        HttpStatusCode.ServiceUnavailable => new StorageUnavailableException(detail) { Status = (int)status },
        HttpStatusCode.InsufficientStorage => new IndexFullException(detail) { Status = (int)status },
        HttpStatusCode.GatewayTimeout => new WriteOutcomeUnknownException(detail) { Status = (int)status },
        _ => new VectordHttpException(detail) { Status = (int)status },
    };

    /// <summary>The <c>detail</c> of an error answer; its reason phrase (and the start of its body) when the body
    /// is not a ProblemDetails, as from a proxy in front of the service.</summary>
    public static async Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("detail", out JsonElement detail)
                && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: described below from the status and the text.
        }
        string reason = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        string text = body.Length > 200 ? body[..200] : body;
        return text.Length == 0 ? reason : $"{reason}: {text}";
    }
}
