using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;

namespace Vectord.VectorData.Conformance.Tests;

/// <summary>The suite's registration tests for the HTTP registrations: the store at an endpoint with a token, or
/// through a configured client; one collection at an endpoint. Nothing is called: the services are only resolved.</summary>
public sealed class HttpDependencyInjectionTests
    : DependencyInjectionTests<VectordVectorStore, VectordCollection<string, DependencyInjectionTests<string>.Record>, string, DependencyInjectionTests<string>.Record>
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:8080");
    private const string ApiKey = "token";

    // The HTTP registrations take their settings as arguments or through an options callback, not from configuration.
    protected override void PopulateConfiguration(ConfigurationManager configuration, object? serviceKey = null)
    {
    }

    public override IEnumerable<Func<IServiceCollection, object?, ServiceLifetime, IServiceCollection>> StoreDelegates
    {
        get
        {
            yield return (services, serviceKey, lifetime) => serviceKey is null
                ? services.AddVectordVectorStore(Endpoint, ApiKey, lifetime: lifetime)
                : services.AddKeyedVectordVectorStore(serviceKey, Endpoint, ApiKey, lifetime: lifetime);

            yield return (services, serviceKey, lifetime) => serviceKey is null
                ? services.AddVectordVectorStore(client => (client.Endpoint, client.ApiKey) = (Endpoint, ApiKey), lifetime: lifetime)
                : services.AddKeyedVectordVectorStore(serviceKey, client => (client.Endpoint, client.ApiKey) = (Endpoint, ApiKey), lifetime: lifetime);
        }
    }

    public override IEnumerable<Func<IServiceCollection, object?, string, ServiceLifetime, IServiceCollection>> CollectionDelegates
    {
        get
        {
            yield return (services, serviceKey, name, lifetime) => serviceKey is null
                ? services.AddVectordCollection<string, Record>(name, Endpoint, ApiKey, lifetime: lifetime)
                : services.AddKeyedVectordCollection<string, Record>(serviceKey, name, Endpoint, ApiKey, lifetime: lifetime);
        }
    }
}

/// <summary>The suite's registration tests for the co-hosted registrations (direct grain calls through the
/// <see cref="IGrainFactory"/> in the container, here the test node's silo's).</summary>
public sealed class GrainsDependencyInjectionTests(ConformanceNode node)
    : DependencyInjectionTests<VectordVectorStore, VectordCollection<string, DependencyInjectionTests<string>.Record>, string, DependencyInjectionTests<string>.Record>
{
    // The co-hosted registrations take the grain factory from the container and nothing from configuration.
    protected override void PopulateConfiguration(ConfigurationManager configuration, object? serviceKey = null)
    {
    }

    public override IEnumerable<Func<IServiceCollection, object?, ServiceLifetime, IServiceCollection>> StoreDelegates
    {
        get
        {
            yield return (services, serviceKey, lifetime) => serviceKey is null
                ? services.AddVectordVectorStore(lifetime: lifetime).AddSingleton(node.Grains)
                : services.AddKeyedVectordVectorStore(serviceKey, lifetime: lifetime).AddSingleton(node.Grains);
        }
    }

    public override IEnumerable<Func<IServiceCollection, object?, string, ServiceLifetime, IServiceCollection>> CollectionDelegates
    {
        get
        {
            yield return (services, serviceKey, name, lifetime) => serviceKey is null
                ? services.AddVectordCollection<string, Record>(name, lifetime: lifetime).AddSingleton(node.Grains)
                : services.AddKeyedVectordCollection<string, Record>(serviceKey, name, lifetime: lifetime).AddSingleton(node.Grains);
        }
    }
}
