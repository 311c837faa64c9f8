using Vectord.Gateway.Tests;
using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.Client.Tests.NodeFixture))]

namespace Vectord.Client.Tests;

/// <summary>One co-hosted node (silo + gateway, auth off) shared by the tests of this assembly, and a
/// <see cref="VectordClient"/> of it; every test uses its own index names.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vectord-client");

    /// <summary>The running node.</summary>
    public VectordServer Server { get; private set; } = null!;

    /// <summary>A client of the node, over the node's own <see cref="HttpClient"/>.</summary>
    public VectordClient Client { get; private set; } = null!;

    /// <summary>A fresh index name.</summary>
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Server = await VectordServer.StartAsync(_data.Path);
        Client = new VectordClient(Server.Client);
    }

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
