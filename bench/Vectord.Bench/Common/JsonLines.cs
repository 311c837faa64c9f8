using System.Text.Json;

namespace Vectord.Bench.Common;

/// <summary>Appends results to a JSON-lines file: one compact JSON object per line, property names as declared
/// on the record (<c>[JsonPropertyName]</c>), in declaration order.</summary>
internal static class JsonLines
{
    private static readonly JsonSerializerOptions s_options = new() { WriteIndented = false };

    public static void Append<T>(string path, T record)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        File.AppendAllText(path, JsonSerializer.Serialize(record, s_options) + "\n");
    }
}
