using System.Globalization;

namespace Vectord.Bench.Common;

/// <summary>
/// The options of one mode: <c>--name value</c>, <c>--name=value</c> or a bare <c>--flag</c>. Every option must be
/// read by the mode; <see cref="EnsureAllUsed"/> rejects the ones nobody asked for (typos fail loudly).
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private BenchArgs() { }

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        var line = new BenchArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token is "-h" or "--help")
            {
                line.HelpRequested = true;
                continue;
            }
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                throw new UsageException($"unexpected argument '{token}' (options look like --name value)");
            }
            string name;
            string? value = null;
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = token[2..eq];
                value = token[(eq + 1)..];
            }
            else
            {
                name = token[2..];
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
            }
            if (!line._values.TryAdd(name, value))
            {
                throw new UsageException($"option --{name} given twice");
            }
        }
        return line;
    }

    public string? GetString(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }
        return string.IsNullOrEmpty(value) ? throw new UsageException($"option --{name} needs a value") : value;
    }

    public bool GetFlag(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return false;
        }
        return value is null ? true : throw new UsageException($"option --{name} takes no value (got '{value}')");
    }

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = GetString(name);
        return text is null ? defaultValue : ParseInt(name, text, min, max);
    }

    public int? GetOptionalInt(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = GetString(name);
        return text is null ? null : ParseInt(name, text, min, max);
    }

    /// <summary>A comma-separated list of integers, e.g. <c>--ef 16,32,64</c>; duplicates are dropped, order kept.</summary>
    public IReadOnlyList<int> GetIntList(string name, IReadOnlyList<int> defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new UsageException($"option --{name} needs at least one number");
        }
        return [.. parts.Select(p => ParseInt(name, p, min, max)).Distinct()];
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), or the default when absent.</summary>
    public T GetChoice<T>(string name, T defaultValue, IReadOnlyDictionary<string, T> choices)
    {
        var text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }
        foreach (var (key, value) in choices)
        {
            if (string.Equals(key, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        throw new UsageException($"option --{name}: '{text}' is not one of {string.Join(", ", choices.Keys)}");
    }

    /// <summary>Throws when an option was given that the mode never read.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"option --{name}: '{text}' is not an integer");
        }
        if (value < min || value > max)
        {
            var range = max == int.MaxValue ? $">= {min}" : $"in [{min}, {max}]";
            throw new UsageException($"option --{name}: {value} must be {range}");
        }
        return value;
    }
}
