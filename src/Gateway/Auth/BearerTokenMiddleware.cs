using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vectord.Gateway.Infrastructure;

namespace Vectord.Gateway.Auth;

/// <summary>
/// When tokens are configured, every path but <c>/health</c>, <c>/</c> and the dashboard's static files
/// (<c>/dashboard/...</c>, which hold no data and ask for the token themselves) needs
/// <c>Authorization: Bearer &lt;token&gt;</c>: 401 without a valid one, 403 for a read-only token on a write route
/// and anywhere under the Orleans dashboard (<c>/orleans/</c>).
/// Tokens are compared as SHA-256 digests of their UTF-8 bytes with <see cref="CryptographicOperations.FixedTimeEquals"/>
/// against every configured token without stopping at a match, so neither a token's length nor which token
/// matched shows in the timing. The request's <see cref="Access"/> is left in <see cref="HttpContext.Items"/>.
/// </summary>
internal sealed class BearerTokenMiddleware
{
    /// <summary>Where the Orleans dashboard is mapped when it is on.</summary>
    public const string OrleansDashboardPath = "/orleans";

    private const string OrleansCookie = "vectord_token";
    private static readonly object s_accessKey = new();

    private readonly RequestDelegate _next;
    private readonly (byte[] Digest, Access Access)[] _tokens;

    public BearerTokenMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
    {
        _next = next;
        _tokens = [.. options.Value.Tokens.Select(t => (Digest(t), Access.ReadWrite)),
            .. options.Value.ReadOnlyTokens.Select(t => (Digest(t), Access.ReadOnly))];
    }

    /// <summary>The access of the current request's token (read-write when authentication is off).</summary>
    public static Access AccessOf(HttpContext context) =>
        context.Items.TryGetValue(s_accessKey, out object? access) && access is Access a ? a : Access.None;

    public Task InvokeAsync(HttpContext context)
    {
        if (_tokens.Length == 0)
        {
            return _next(context);   // auth off: every caller may read and write (AccessOf says so without a mark)
        }
        PathString path = context.Request.Path;
        if (path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path == "/"
            || path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }
        Access access = Authorize(Credential(context.Request));
        if (access == Access.None)
        {
            throw new UnauthenticatedException();
        }
        if (access == Access.ReadOnly && path.StartsWithSegments(OrleansDashboardPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ForbiddenException(ForbiddenException.OrleansDashboard);   // its log stream and grain views too
        }
        if (access == Access.ReadOnly && !ReadRoutes.IsRead(context.Request.Method, path))
        {
            throw new ForbiddenException(ForbiddenException.ReadOnlyToken);
        }
        context.Items[s_accessKey] = access;
        return _next(context);
    }

    /// <summary>The Authorization header; for the co-hosted Orleans dashboard (<c>/orleans/...</c>), whose pages
    /// cannot send one, the <c>vectord_token</c> cookie that the Vectord dashboard sets for that path instead.</summary>
    private static string Credential(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        if (header.Length == 0 && request.Path.StartsWithSegments(OrleansDashboardPath, StringComparison.OrdinalIgnoreCase)
            && request.Cookies.TryGetValue(OrleansCookie, out string? token) && !string.IsNullOrEmpty(token))
        {
            return "Bearer " + token;
        }
        return header;
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private Access Authorize(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Access.None;
        }
        ReadOnlySpan<char> token = header.AsSpan(scheme.Length).Trim();
        if (token.IsEmpty)
        {
            return Access.None;
        }

        int byteCount = Encoding.UTF8.GetByteCount(token);
        byte[] bytes = new byte[byteCount];
        Encoding.UTF8.GetBytes(token, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);

        Access access = Access.None;
        foreach (var (expected, grants) in _tokens)
        {
            bool match = CryptographicOperations.FixedTimeEquals(digest, expected);
            access = match && grants > access ? grants : access;
        }
        return access;
    }
}
