using System.Diagnostics.CodeAnalysis;

namespace Vectord.Gateway.Json;

/// <summary>Scans a JSON array of numbers straight from its text, each number through <see cref="DecimalFloat.TryScan"/>:
/// how <see cref="VectorBodyReader"/> reads a vector several times faster than token by token.</summary>
internal static class NumberArrayText
{
    /// <summary>
    /// The numbers of an array whose first element (or ']') is at <paramref name="start"/> or after whitespace;
    /// <paramref name="close"/> is the index of the closing ']'. Strict JSON: no leading, doubled or trailing comma.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, int start, [NotNullWhen(true)] out float[]? values, out int close)
    {
        values = null;
        close = 0;
        int i = SkipWhitespace(json, start);
        if (i < json.Length && json[i] == (byte)']')
        {
            values = [];
            close = i;
            return true;
        }
        var collected = new FloatCollector(1024);
        try
        {
            while (true)
            {
                if (!DecimalFloat.TryScan(json, i, out float value, out i))
                {
                    return false;
                }
                collected.Add(value);
                i = SkipWhitespace(json, i);
                if (i >= json.Length)
                {
                    return false;
                }
                if (json[i] == (byte)']')
                {
                    values = collected.ToArray();
                    close = i;
                    return true;
                }
                if (json[i] != (byte)',')
                {
                    return false;
                }
                i = SkipWhitespace(json, i + 1);
            }
        }
        finally
        {
            collected.Release();
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }
        return i;
    }
}
