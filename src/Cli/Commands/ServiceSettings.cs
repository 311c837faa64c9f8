using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Vectord.Cli.Commands;

/// <summary>The options every command that talks to a service takes: where it is and the token it wants.</summary>
internal class ServiceSettings : CommandSettings
{
    /// <summary>The default service address.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The service's base address; else <c>VECTORD_URL</c>, else <see cref="DefaultUrl"/>.</summary>
    [CommandOption("--url <URL>")]
    [Description("The service's address (default: $VECTORD_URL, else http://127.0.0.1:8080)")]
    public string? Url { get; init; }

    /// <summary>The bearer token; else <c>VECTORD_TOKEN</c>, else none.</summary>
    [CommandOption("--token <TOKEN>")]
    [Description("Bearer token when the service has auth on (default: $VECTORD_TOKEN)")]
    public string? Token { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate() =>
        Url is not null && !IsHttpUrl(Url)
            ? ValidationResult.Error($"--url {Url}: not an http:// or https:// address")
            : ValidationResult.Success();

    /// <summary>Whether <paramref name="url"/> is an absolute http(s) address.</summary>
    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
