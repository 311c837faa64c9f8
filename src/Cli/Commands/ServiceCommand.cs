using System.Net.Http.Headers;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Client;

namespace Vectord.Cli.Commands;

/// <summary>A command that talks to a service through <see cref="VectordClient"/>, at the address and with the token
/// of its <see cref="ServiceSettings"/> or the environment. Failures propagate to the tool's one error report.</summary>
internal abstract class ServiceCommand<TSettings>(CliContext context) : AsyncCommand<TSettings>
    where TSettings : ServiceSettings
{
    /// <summary>Where the command writes.</summary>
    protected IAnsiConsole Console => context.Console;

    /// <inheritdoc />
    public sealed override async Task<int> ExecuteAsync(CommandContext commandContext, TSettings settings, CancellationToken cancellationToken)
    {
        var url = settings.Url ?? context.Environment("VECTORD_URL") ?? ServiceSettings.DefaultUrl;
        if (!ServiceSettings.IsHttpUrl(url))
        {
            throw new CliException($"VECTORD_URL {url}: not an http:// or https:// address");
        }
        var token = settings.Token ?? context.Environment("VECTORD_TOKEN");
        // Transfers (imports, snapshots) may run for long: the command's own stop request bounds them, not a timeout.
        using var http = new HttpClient { BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await RunAsync(new VectordClient(http), settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the command against <paramref name="client"/>.</summary>
    protected abstract Task<int> RunAsync(VectordClient client, TSettings settings, CancellationToken cancellationToken);
}
