using Microsoft.Net.Http.Headers;
using Vectord.Gateway.Infrastructure;

namespace Vectord.Gateway.Auth;

/// <summary>
/// Refuses (403), authentication on or off, a request that changes or runs something (any method but GET, HEAD
/// and OPTIONS) when a browser says another site sent it: <c>Sec-Fetch-Site: cross-site</c> or <c>same-site</c>
/// (a sibling host or port is another origin too), or an <c>Origin</c> that is not this server's own scheme, host
/// and port (<c>null</c> included). A page elsewhere could otherwise make the browser of someone who can reach the
/// node send it writes that need no reading of the answer, such as <c>fetch(url, {mode: "no-cors"})</c>. Callers
/// that are not browsers send neither header and are not affected.
/// </summary>
internal sealed class CrossSiteMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return next(context);
        }
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            throw new ForbiddenException($"a browser request sent by another site (Sec-Fetch-Site: {site}) may not write or query; use the dashboard on this server or a client that is not a browser page");
        }
        if (request.Headers.TryGetValue(HeaderNames.Origin, out var origins) && !IsOwnOrigin(request, origins.ToString()))
        {
            throw new ForbiddenException($"a browser request from another origin ({origins}) may not write or query; this server accepts them only from {OwnOrigin(request)}");
        }
        return next(context);
    }

    private static string OwnOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    private static bool IsOwnOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? sent) && sent.GetLeftPart(UriPartial.Authority).Equals(
            OwnOrigin(request), StringComparison.OrdinalIgnoreCase);
}
