using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>An HTTP-only user of the client takes no Orleans runtime: its dependency closure has the contract types
/// (Vectord.Model, with Orleans' serializer for them), never Orleans' core, runtime, server or client, nor the grain
/// interfaces.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void The_dependency_closure_has_no_orleans_runtime_server_or_client()
    {
        string deps = Path.ChangeExtension(RepositoryPaths.ProjectDll("Vectord.Client"), ".deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        string[] libraries = [.. document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0])];

        Assert.Contains("Vectord.Contracts", libraries);
        Assert.Contains("Microsoft.Extensions.Http.Resilience", libraries);
        Assert.Contains("Vectord.Model", libraries);
        Assert.Contains("Microsoft.Orleans.Serialization", libraries);
        Assert.DoesNotContain("Vectord.Grains.Interfaces", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Core", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Core.Abstractions", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Runtime", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Server", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Client", libraries);
    }
}
