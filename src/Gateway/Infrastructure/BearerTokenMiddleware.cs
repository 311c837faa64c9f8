using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Vectord.Gateway.Infrastructure;

/// <summary>Options of the gateway's bearer-token check (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>Accepted bearer tokens; empty turns authentication off.</summary>
    public IList<string> Tokens { get; } = [];
}

/// <summary>
/// When tokens are configured, every path but <c>/health</c> needs <c>Authorization: Bearer &lt;token&gt;</c>.
/// Tokens are compared as SHA-256 digests of their UTF-8 bytes with <see cref="CryptographicOperations.FixedTimeEquals"/>
/// against every configured token without stopping at a match, so neither a token's length nor which token
/// matched shows in the timing.
/// </summary>
internal sealed class BearerTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[][] _digests;

    public BearerTokenMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
    {
        _next = next;
        _digests = [.. options.Value.Tokens
            .Where(t => !string.IsNullOrEmpty(t))
            .Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t)))];
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_digests.Length == 0 || context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }
        if (!IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            throw new UnauthenticatedException();
        }
        return _next(context);
    }

    private bool IsAuthorized(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        ReadOnlySpan<char> token = header.AsSpan(scheme.Length).Trim();
        if (token.IsEmpty)
        {
            return false;
        }

        int byteCount = Encoding.UTF8.GetByteCount(token);
        byte[] bytes = new byte[byteCount];
        Encoding.UTF8.GetBytes(token, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);

        bool match = false;
        foreach (byte[] expected in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, expected);
        }
        return match;
    }
}
