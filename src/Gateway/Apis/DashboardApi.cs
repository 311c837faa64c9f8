using Microsoft.Net.Http.Headers;
using Vectord.Gateway.Operations;

namespace Vectord.Gateway.Apis;

/// <summary><c>GET /</c> → 302 <c>/dashboard/</c>, and the dashboard's embedded static files.</summary>
public static class DashboardApi
{
    /// <summary>Maps the redirect and the static files (not listed in the OpenAPI document).</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
        app.MapGet("/dashboard/{*path}", Serve).ExcludeFromDescription();
        return app;
    }

    internal static IResult Serve(HttpContext context, DashboardAssets assets, string? path = null)
    {
        if (!context.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            return Results.Redirect("/dashboard/");   // relative links resolve under /dashboard/
        }
        if (assets.Find(path) is not { } asset)
        {
            return Results.NotFound();
        }
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        }
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
