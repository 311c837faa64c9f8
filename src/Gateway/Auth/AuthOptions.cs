using Microsoft.Extensions.Options;

namespace Vectord.Gateway.Auth;

/// <summary>Options of the gateway's bearer-token check (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Auth";

    /// <summary>Tokens that may read and write. With <see cref="ReadOnlyTokens"/> both empty, authentication is off.</summary>
    public IList<string> Tokens { get; } = [];

    /// <summary>Tokens that may only read: any GET, and the POST routes search, search/batch, search/text, items/query and count.</summary>
    public IList<string> ReadOnlyTokens { get; } = [];

    /// <summary>Whether any token is configured.</summary>
    public bool Enabled => Tokens.Count > 0 || ReadOnlyTokens.Count > 0;
}

/// <summary>
/// Refuses to start with an empty or blank token (a typo in a deployment must not silently leave a list shorter
/// than meant, nor accept an empty bearer value), or with a token listed as both read-write and read-only. The raw
/// configuration is checked too, since the binder may drop empty entries before the options see them.
/// </summary>
internal sealed class AuthOptionsValidator(IConfigurationSection section) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        foreach (string list in new[] { nameof(AuthOptions.Tokens), nameof(AuthOptions.ReadOnlyTokens) })
        {
            foreach (IConfigurationSection entry in section.GetSection(list).GetChildren())
            {
                if (string.IsNullOrWhiteSpace(entry.Value) && !entry.GetChildren().Any())
                {
                    failures.Add($"{entry.Path} is empty: every bearer token must be a non-blank string");
                }
            }
        }
        foreach (var (list, tokens) in new[] { ("Auth:Tokens", options.Tokens), ("Auth:ReadOnlyTokens", options.ReadOnlyTokens) })
        {
            for (int i = 0; i < tokens.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(tokens[i]) && !failures.Contains($"{list}:{i} is empty: every bearer token must be a non-blank string"))
                {
                    failures.Add($"{list}:{i} is empty: every bearer token must be a non-blank string");
                }
            }
        }
        if (options.Tokens.Intersect(options.ReadOnlyTokens, StringComparer.Ordinal).Any())
        {
            failures.Add("a token is listed in both Auth:Tokens and Auth:ReadOnlyTokens");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
