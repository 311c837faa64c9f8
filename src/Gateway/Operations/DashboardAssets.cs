using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Vectord.Gateway.Operations;

/// <summary>The dashboard's static files, embedded in this assembly (<c>Dashboard/</c>, logical names
/// <c>dashboard/…</c>) and read once: plain HTML, CSS and JavaScript, no build step.</summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> s_contentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        Assembly assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            string type = s_contentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
            assets[name[Prefix.Length..]] = new Asset(bytes, type, etag);
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The asset at <paramref name="path"/> (relative to <c>/dashboard/</c>; empty = <c>index.html</c>).</summary>
    public Asset? Find(string? path) =>
        _assets.TryGetValue(string.IsNullOrEmpty(path) ? "index.html" : path, out Asset? asset) ? asset : null;

    /// <summary>One file: its bytes, content type and entity tag.</summary>
    internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
