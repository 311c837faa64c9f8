using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Vectord.Gateway.Apis;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Refuses (415) a request to the API (<c>/vectors/...</c>) that carries a body without declaring it
/// <c>application/json</c>, or for a restore <c>application/octet-stream</c>. Besides saying early what is wrong,
/// this keeps a page of another site from sending such a request without the browser asking the server first:
/// a form or a <c>no-cors</c> fetch cannot declare either type. Runs before routing, whose own refusal of an
/// undeclared type would carry no detail.
/// </summary>
internal sealed class ContentTypeMiddleware(RequestDelegate next)
{
    private const string Json = "application/json";

    public Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
            && request.Path.StartsWithSegments("/vectors", StringComparison.OrdinalIgnoreCase))
        {
            string expected = request.Path.Equals(SnapshotsApi.RestorePath, StringComparison.OrdinalIgnoreCase) ? SnapshotsApi.OctetStream : Json;
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? declared)
                || !declared.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase))
            {
                string sent = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
                throw new BadHttpRequestException($"Content-Type must be {expected} (got {sent})", StatusCodes.Status415UnsupportedMediaType);
            }
        }
        return next(context);
    }
}
