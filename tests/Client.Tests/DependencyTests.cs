using System.Text.Json;
using Vectord.Testing;

namespace Vectord.Client.Tests;

/// <summary>An HTTP-only user of the client takes no Orleans runtime: its dependency closure has the contract
/// types and Orleans' abstractions and serialization, never Microsoft.Orleans.Runtime, .Server or .Client.</summary>
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
        Assert.Contains("Microsoft.Orleans.Serialization", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Runtime", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Server", libraries);
        Assert.DoesNotContain("Microsoft.Orleans.Client", libraries);
    }
}
