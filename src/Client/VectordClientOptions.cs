namespace Vectord.Client;

/// <summary>Where the service is and how the client registered by <c>services.AddVectordClient(...)</c> calls it
/// (configuration section <c>Vectord</c> when bound from configuration). Checked when the host starts.</summary>
public sealed class VectordClientOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Vectord";

    /// <summary>The service's address, e.g. <c>http://127.0.0.1:8080</c> (http or https). Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Bearer token sent with every request when the service checks tokens; null or empty: none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest time one attempt of a call may take (1 second to 12 hours). A merge or a large upload may
    /// take minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a read (a GET, a search, a query, a count) is repeated after a 503 or a transport error
    /// (0–10). Writes are never repeated.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay before a repeat; it grows exponentially, with jitter, and a <c>Retry-After</c> from the
    /// service takes precedence (0 to 1 minute).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
