namespace Vectord.Gateway.Auth;

/// <summary>What a request's bearer token allows.</summary>
public enum Access
{
    /// <summary>No valid token.</summary>
    None = 0,
    /// <summary>Reads only.</summary>
    ReadOnly = 1,
    /// <summary>Everything (also when authentication is off).</summary>
    ReadWrite = 2,
}

/// <summary>Which requests are reads: any GET or HEAD, and the POST routes that only query an index.</summary>
public static class ReadRoutes
{
    private static readonly string[] s_queryPosts = ["search", "search/batch", "search/text", "items/query", "count"];

    /// <summary>Whether a request with this method and path only reads.</summary>
    public static bool IsRead(string method, PathString path)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return true;
        }
        if (!HttpMethods.IsPost(method) || !path.StartsWithSegments("/vectors/index", StringComparison.Ordinal, out PathString rest))
        {
            return false;
        }
        // rest is "/{name}/{action}": the name is one segment, the action one of the query routes.
        string tail = rest.Value ?? "";
        int slash = tail.Length < 2 ? -1 : tail.IndexOf('/', 1);
        if (slash < 0)
        {
            return false;
        }
        string action = tail[(slash + 1)..].TrimEnd('/');
        return s_queryPosts.Contains(action, StringComparer.Ordinal);
    }
}
