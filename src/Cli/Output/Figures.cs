using System.Globalization;

namespace Vectord.Cli.Output;

/// <summary>How the tables of the commands write numbers.</summary>
internal static class Figures
{
    /// <summary><paramref name="value"/> with thousands separators, the same on every machine: <c>12,345</c>.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
