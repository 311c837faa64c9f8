using System.Net;
using System.Text.Json;
using Vectord.Contracts;

namespace Vectord.Client;

/// <summary>
/// The one place where an error answer (RFC 9457 ProblemDetails) becomes an exception: the
/// <see cref="VectordException"/> a grain call raises for the same error, with the answer's status and its
/// <c>detail</c> as the message, so that callers catch the same types over HTTP as over direct grain calls.
/// </summary>
internal static class ProblemAnswers
{
    /// <summary>The exception for an error <paramref name="status"/> whose answer is <paramref name="problem"/>;
    /// its <see cref="VectordException.AppliedShards"/> are the answer's <c>applied_shards</c>.</summary>
    public static VectordException ToException(HttpStatusCode status, Problem problem)
    {
        string detail = problem.Detail;
        int code = (int)status;
        VectordException exception = status switch
        {
            HttpStatusCode.NotFound when problem.Code == ProblemCodes.SnapshotNotFound => new SnapshotNotFoundException(detail) { Status = code },
            HttpStatusCode.NotFound => new IndexNotFoundException(detail) { Status = code },
            HttpStatusCode.Conflict => new IndexAlreadyExistsException(detail) { Status = code },
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => new InvalidIndexArgumentException(detail) { Status = code },
            HttpStatusCode.ServiceUnavailable => new StorageUnavailableException(detail) { Status = code },
            HttpStatusCode.InsufficientStorage => new IndexFullException(detail) { Status = code },
            HttpStatusCode.GatewayTimeout => new WriteOutcomeUnknownException(detail) { Status = code },
            _ => new VectordHttpException(detail) { Status = code },
        };
        exception.AppliedShards = problem.AppliedShards;
        return exception;
    }

    /// <summary>The <c>detail</c>, <c>code</c> and <c>applied_shards</c> of an error answer; its reason phrase (and the
    /// start of its body) as the detail, and no code, when the body is not a ProblemDetails, as from a proxy in front of
    /// the service.</summary>
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("detail", out JsonElement detail)
                && detail.ValueKind == JsonValueKind.String)
            {
                string? code = root.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                return new Problem(detail.GetString()!, code, AppliedShards(root));
            }
        }
        catch (JsonException)
        {
            // Not JSON: described below from the status and the text.
        }
        string reason = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        string text = body.Length > 200 ? body[..200] : body;
        return new Problem(text.Length == 0 ? reason : $"{reason}: {text}", null, null);
    }

    private static int[]? AppliedShards(JsonElement root) =>
        root.TryGetProperty("applied_shards", out JsonElement shards) && shards.ValueKind == JsonValueKind.Array
            && shards.EnumerateArray().All(s => s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out _))
            ? [.. shards.EnumerateArray().Select(s => s.GetInt32())]
            : null;
}

/// <summary>What an error answer says: its <c>detail</c>, its <c>code</c> (<see cref="ProblemCodes"/>), and for a
/// sharded write, the shards that applied it.</summary>
internal sealed record Problem(string Detail, string? Code, int[]? AppliedShards);
