using Microsoft.Extensions.Options;

namespace Vectord.Client;

/// <summary>Refuses <see cref="VectordClientOptions"/> that cannot work, naming the setting.</summary>
internal sealed class VectordClientOptionsValidator : IValidateOptions<VectordClientOptions>
{
    public ValidateOptionsResult Validate(string? name, VectordClientOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{nameof(VectordClientOptions.Endpoint)} must be an absolute http or https address (got \"{options.Endpoint}\")");
        }
        if (options.ApiKey is { Length: > 0 } key && key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{nameof(VectordClientOptions.ApiKey)} must not contain white space or control characters");
        }
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromHours(12))
        {
            failures.Add($"{nameof(VectordClientOptions.Timeout)} must be between 00:00:01 and 12:00:00 (got {options.Timeout})");
        }
        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{nameof(VectordClientOptions.MaxRetries)} must be between 0 and 10 (got {options.MaxRetries})");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{nameof(VectordClientOptions.RetryDelay)} must be between 00:00:00 and 00:01:00 (got {options.RetryDelay})");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
