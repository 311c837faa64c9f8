using Microsoft.AspNetCore.Http.Features;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// Refuses (400) a request whose target, as sent, holds a dot segment: <c>.</c> or <c>..</c> between slashes or at
/// the end, also percent-encoded (<c>%2e</c>, <c>%2E</c>, mixed). The server resolves such segments before routing,
/// so <c>DELETE /vectors/index/x/items/..</c> would reach the route of the index itself; no route of this API has
/// a segment that is only dots, so none is lost.
/// </summary>
internal sealed class DotSegmentMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (HasDotSegment(target))
        {
            throw new BadHttpRequestException(
                "the request path has a '.' or '..' segment (also percent-encoded); address items by id through a request body instead (POST .../delete {\"ids\":[...]})",
                StatusCodes.Status400BadRequest);
        }
        return next(context);
    }

    /// <summary>Whether the path of a request target (origin form, or absolute form whose path is taken) has a
    /// segment that decodes to <c>.</c> or <c>..</c>.</summary>
    internal static bool HasDotSegment(string target)
    {
        ReadOnlySpan<char> path = target;
        int query = path.IndexOfAny('?', '#');
        if (query >= 0) { path = path[..query]; }
        int scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && !path[..scheme].Contains('/'))
        {
            ReadOnlySpan<char> authority = path[(scheme + 3)..];
            int slash = authority.IndexOf('/');
            path = slash < 0 ? [] : authority[slash..];
        }
        foreach (Range range in path.Split('/'))
        {
            if (IsDots(path[range])) { return true; }
        }
        return false;
    }

    /// <summary>A segment of one or two dots, each written as <c>.</c> or <c>%2e</c> in either case.</summary>
    private static bool IsDots(ReadOnlySpan<char> segment)
    {
        int dots = 0;
        while (!segment.IsEmpty)
        {
            if (segment[0] == '.') { segment = segment[1..]; }
            else if (segment.StartsWith("%2e", StringComparison.OrdinalIgnoreCase)) { segment = segment[3..]; }
            else { return false; }
            dots++;
        }
        return dots is 1 or 2;
    }
}
