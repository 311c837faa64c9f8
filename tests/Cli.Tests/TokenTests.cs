using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>A node with auth on (one token).</summary>
public sealed class AuthNodeFixture() : NodeFixture(new() { ["Auth:Tokens:0"] = Token })
{
    /// <summary>The node's one token.</summary>
    public const string Token = "cli-test-token";
}

/// <summary>The token goes as a bearer token from <c>--token</c> or <c>VECTORD_TOKEN</c>, on a node with auth on.</summary>
public sealed class TokenTests(AuthNodeFixture node) : IClassFixture<AuthNodeFixture>
{
    private const string Token = AuthNodeFixture.Token;

    [Fact]
    public async Task Token_from_the_option_or_the_environment_is_sent_and_without_it_the_command_fails()
    {
        var url = node.Url;

        var withOption = await CliRun.RunAsync(["indexes", "--url", url, "--token", Token]);
        var withEnvironment = await CliRun.RunAsync(["indexes"], new Dictionary<string, string> { ["VECTORD_URL"] = url, ["VECTORD_TOKEN"] = Token });
        var without = await CliRun.RunAsync(["indexes", "--url", url]);
        var wrong = await CliRun.RunAsync(["indexes", "--url", url, "--token", "nope"]);

        Assert.True(withOption.Exit == ExitCodes.Success, withOption.ToString());
        Assert.True(withEnvironment.Exit == ExitCodes.Success, withEnvironment.ToString());
        Assert.True(without.Exit == ExitCodes.Failure, without.ToString());
        Assert.True(wrong.Exit == ExitCodes.Failure, wrong.ToString());
        Assert.Contains("error:", wrong.Output, StringComparison.Ordinal);
    }
}
