using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.Gateway.Tests.NodeFixture))]

namespace Vectord.Gateway.Tests;

/// <summary>One co-hosted node (silo + gateway, auth off) shared by the tests of this assembly; every test uses
/// its own index names.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vectord-gw");

    /// <summary>The running node.</summary>
    public VectordServer Server { get; private set; } = null!;

    /// <summary>A client of the node.</summary>
    public HttpClient Client => Server.Client;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => Server = await VectordServer.StartAsync(_data.Path);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        _data.Dispose();
    }
}
