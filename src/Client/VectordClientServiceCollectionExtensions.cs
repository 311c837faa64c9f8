using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Vectord.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="VectordClient"/>.</summary>
public static class VectordClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="VectordClient"/> as a typed client of <see cref="IHttpClientFactory"/>, with the standard
    /// resilience handler (timeouts, a circuit breaker, and retries of reads only on 503 and transport errors).
    /// The options are checked when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets <see cref="VectordClientOptions.Endpoint"/> (required), the token and timeouts.</param>
    /// <returns>The client's builder, for further handlers.</returns>
    public static IHttpClientBuilder AddVectordClient(this IServiceCollection services, Action<VectordClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddVectordClient(services, services.AddOptions<VectordClientOptions>().Configure(configure));
    }

    /// <summary>Registers <see cref="VectordClient"/> as <see cref="AddVectordClient(IServiceCollection, Action{VectordClientOptions})"/>
    /// does, its options bound from <paramref name="section"/> (e.g. the <c>Vectord</c> section: <c>Endpoint</c>,
    /// <c>ApiKey</c>, <c>Timeout</c>, <c>MaxRetries</c>, <c>RetryDelay</c>).</summary>
    public static IHttpClientBuilder AddVectordClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddVectordClient(services, services.AddOptions<VectordClientOptions>().Bind(section));
    }

    /// <summary>
    /// Registers a <see cref="VectordClient"/> as a keyed service under <paramref name="serviceKey"/>, for an application
    /// that talks to several Vectord services: each key has its own options (named after the key) and its own named
    /// <see cref="HttpClient"/>, with the resilience handler of <see cref="AddVectordClient(IServiceCollection, Action{VectordClientOptions})"/>.
    /// A null key registers the unkeyed client.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key of the client (<c>GetRequiredKeyedService&lt;VectordClient&gt;(serviceKey)</c>).</param>
    /// <param name="configure">Sets <see cref="VectordClientOptions.Endpoint"/> (required), the token and timeouts.</param>
    /// <returns>The named client's builder, for further handlers.</returns>
    public static IHttpClientBuilder AddKeyedVectordClient(this IServiceCollection services, object? serviceKey, Action<VectordClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (serviceKey is null) { return services.AddVectordClient(configure); }
        string name = "Vectord:" + serviceKey;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VectordClientOptions>, VectordClientOptionsValidator>());
        services.AddOptions<VectordClientOptions>(name).Configure(configure).ValidateOnStart();
        IHttpClientBuilder client = services.AddHttpClient(name, (provider, http) =>
            Configure(http, provider.GetRequiredService<IOptionsMonitor<VectordClientOptions>>().Get(name)));
        client.AddStandardResilienceHandler().Configure((resilience, provider) =>
            VectordRetries.Configure(resilience, provider.GetRequiredService<IOptionsMonitor<VectordClientOptions>>().Get(name)));
        services.AddKeyedTransient(serviceKey, (provider, _) => new VectordClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(name)));
        return client;
    }

    private static IHttpClientBuilder AddVectordClient(IServiceCollection services, OptionsBuilder<VectordClientOptions> options)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VectordClientOptions>, VectordClientOptionsValidator>());
        options.ValidateOnStart();
        IHttpClientBuilder client = services.AddHttpClient<VectordClient>((provider, http) =>
            Configure(http, provider.GetRequiredService<IOptions<VectordClientOptions>>().Value));
        client.AddStandardResilienceHandler().Configure((resilience, provider) =>
            VectordRetries.Configure(resilience, provider.GetRequiredService<IOptions<VectordClientOptions>>().Value));
        return client;
    }

    /// <summary>Points <paramref name="http"/> at the endpoint of <paramref name="settings"/>, with its token.</summary>
    private static void Configure(HttpClient http, VectordClientOptions settings)
    {
        Uri endpoint = settings.Endpoint!;
        // Relative routes resolve under the endpoint's path only when it ends with a slash.
        http.BaseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        // Timeouts belong to the resilience handler (per attempt and in all).
        http.Timeout = Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }
    }
}
