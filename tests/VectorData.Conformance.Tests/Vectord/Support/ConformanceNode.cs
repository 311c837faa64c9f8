using Microsoft.Extensions.DependencyInjection;
using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.VectorData.Conformance.Tests.Support.ConformanceNode))]

namespace Vectord.VectorData.Conformance.Tests.Support;

/// <summary>The one node every conformance test talks to, for the whole run: a silo with the HTTP gateway on a free
/// loopback port, file storage in a temporary directory, bearer-token auth on. Started before the first test class and
/// stopped after the last; the suite's test stores wait for it (<see cref="StartedAsync"/>).</summary>
public sealed class ConformanceNode() : NodeFixture(new() { ["Auth:Tokens:0"] = Token })
{
    /// <summary>The bearer token the node accepts.</summary>
    public const string Token = "conformance-tests";

    private static readonly TaskCompletionSource<ConformanceNode> Started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The running node, once it has started.</summary>
    public static Task<ConformanceNode> StartedAsync() => Started.Task;

    /// <inheritdoc/>
    public override async ValueTask InitializeAsync()
    {
        try
        {
            await base.InitializeAsync();
            Started.TrySetResult(this);
        }
        catch (Exception e)
        {
            Started.TrySetException(e);
            throw;
        }
    }
}
