using Vectord.Client;

namespace Vectord.Testing;

/// <summary>One co-hosted node (silo + HTTP API on a free loopback port, file storage in a temporary directory)
/// shared by the tests of an assembly or a class; auth is off unless the settings turn it on. Every test uses its own
/// index names.</summary>
public class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vectord-node");
    private readonly Dictionary<string, string?> _settings;

    /// <summary>A node with the default settings.</summary>
    public NodeFixture()
        : this([])
    {
    }

    /// <summary>A node with <paramref name="settings"/> (configuration keys such as <c>Auth:Tokens:0</c>) over the
    /// defaults.</summary>
    protected NodeFixture(Dictionary<string, string?> settings) => _settings = settings;

    /// <summary>The running node.</summary>
    public VectordServer Server { get; private set; } = null!;

    /// <summary>An HTTP client of the node (no token).</summary>
    public HttpClient Http => Server.Client;

    /// <summary>A typed client of the node, over <see cref="Http"/>.</summary>
    public VectordClient Client { get; private set; } = null!;

    /// <summary>A fresh index name.</summary>
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync()
    {
        Server = await VectordServer.StartAsync(_data.Path, _settings);
        Client = new VectordClient(Server.Client);
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        _data.Dispose();
        GC.SuppressFinalize(this);
    }
}
