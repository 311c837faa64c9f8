using Microsoft.AspNetCore.Http;
using Vectord.Gateway.Auth;

namespace Vectord.Gateway.Tests;

/// <summary>Which requests a read-only token may make.</summary>
public sealed class ReadRoutesTests
{
    [Theory]
    [InlineData("GET", "/vectors/index", true)]
    [InlineData("HEAD", "/vectors/index/x", true)]
    [InlineData("GET", "/anything/at/all", true)]
    [InlineData("POST", "/vectors/index/x/search", true)]
    [InlineData("POST", "/vectors/index/x/search/batch", true)]
    [InlineData("POST", "/vectors/index/x/items/query", true)]
    [InlineData("POST", "/vectors/index/x/count", true)]
    [InlineData("POST", "/vectors/index", false)]
    [InlineData("POST", "/vectors/index/", false)]
    [InlineData("POST", "/vectors/index/x", false)]
    [InlineData("POST", "/vectors/index/x/add", false)]
    [InlineData("POST", "/vectors/index/x/delete", false)]
    [InlineData("POST", "/vectors/index/x/merge", false)]
    [InlineData("POST", "/vectors/index/x/snapshots", false)]
    [InlineData("POST", "/vectors/index/search/add", false)]
    [InlineData("POST", "/vectors/snapshots/restore", false)]
    [InlineData("POST", "/other/x/search", false)]
    [InlineData("PUT", "/vectors/index/x/search", false)]
    [InlineData("DELETE", "/vectors/index/x", false)]
    [InlineData("DELETE", "/vectors/index/x/items/search", false)]
    public void Reads_are_gets_and_the_query_posts(string method, string path, bool read) =>
        Assert.Equal(read, ReadRoutes.IsRead(method, new PathString(path)));
}
