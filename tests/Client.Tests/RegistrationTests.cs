using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary><c>services.AddVectordClient(...)</c>: options checked at start, the endpoint (with a path) and the
/// token applied, configuration binding, and a real node with tokens on.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task Options_that_cannot_work_stop_the_host_at_start_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddVectordClient(o =>
        {
            o.ApiKey = "has space";
            o.MaxRetries = 11;
            o.Timeout = TimeSpan.Zero;
        });
        using IHost host = builder.Build();

        // The host reports every options type that failed (the client's, and the resilience handler's built from it).
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(TestContext.Current.CancellationToken));
        var error = Assert.IsType<OptionsValidationException>(failed is AggregateException all ? all.InnerExceptions[0] : failed);

        Assert.Contains(error.Failures, f => f.StartsWith("Endpoint must be an absolute http or https address", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("ApiKey must not contain white space", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("MaxRetries must be between 0 and 10", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Timeout must be between", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_endpoint_path_and_the_token_reach_the_service()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stub = await StubServer.StartAsync((context, _) => StubServer.JsonAsync(context, """{"names":["a"],"count":1}"""));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vectord:Endpoint"] = stub.Address + "prefix",
            ["Vectord:ApiKey"] = "secret-token",
        }).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddVectordClient(configuration.GetSection(VectordClientOptions.SectionName));
        using IHost host = builder.Build();
        await host.StartAsync(ct);

        string[] names = await host.Services.GetRequiredService<VectordClient>().ListIndexesAsync(ct);

        Assert.Equal(["a"], names);
        StubServer.Received request = Assert.Single(stub.Requests);
        Assert.Equal("/prefix/vectors/index", request.Path);
        Assert.Equal("Bearer secret-token", request.Authorization);
        await host.StopAsync(ct);
    }

    [Fact]
    public async Task With_tokens_on_the_key_authorises_and_a_read_only_key_may_only_read()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("vectord-client-auth");
        await using var server = await VectordServer.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Auth:Tokens:0"] = "write-token",
            ["Auth:ReadOnlyTokens:0"] = "read-token",
        });
        VectordClient ClientWith(string? key)
        {
            var services = new ServiceCollection();
            services.AddVectordClient(o => (o.Endpoint, o.ApiKey) = (server.BaseAddress, key));
            return services.BuildServiceProvider().GetRequiredService<VectordClient>();
        }
        string name = NodeFixture.NewName("auth");

        await ClientWith("write-token").CreateIndexAsync(name, new IndexSpec(2), ct);
        Assert.Equal(0, await ClientWith("read-token").CountAsync(name, cancellationToken: ct));

        var readOnly = await Assert.ThrowsAsync<VectordHttpException>(
            () => ClientWith("read-token").AddAsync(name, [new IndexItem("a", [1, 0])], ct));
        Assert.Equal(403, readOnly.Status);
        Assert.Contains("only read", readOnly.Message, StringComparison.Ordinal);
        var anonymous = await Assert.ThrowsAsync<VectordHttpException>(() => ClientWith(null).ListIndexesAsync(ct));
        Assert.Equal(401, anonymous.Status);
    }
}
