namespace Vectord.Samples.FashionSearch;

/// <summary>The sample's <c>--name value</c> arguments over their defaults.</summary>
internal static class Settings
{
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["endpoint"] = "http://127.0.0.1:8080",
        ["data"] = "/usr/share/datasets/fashion-mnist",
        ["count"] = "10000",
        ["query"] = "0",
        ["category"] = "Sandal",
        ["max-price"] = "40",
    };

    /// <summary>The settings: the defaults, overridden by <paramref name="args"/>.</summary>
    public static Dictionary<string, string> Parse(string[] args)
    {
        var settings = new Dictionary<string, string>(Defaults);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            settings[args[i].TrimStart('-')] = args[i + 1];
        }
        return settings;
    }
}
