[assembly: AssemblyFixture(typeof(Vectord.Gateway.Tests.NodeFixture))]

namespace Vectord.Gateway.Tests;

/// <summary>One co-hosted node (silo + gateway, auth off) shared by the tests of this assembly; every test uses
/// its own index names.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

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

/// <summary>A directory under the system temp path, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>Its full path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectord-gw-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping process; the temp directory is cleaned by the system.
        }
    }
}
